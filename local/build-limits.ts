// What Twilio refuses in a build, checked by npm run build before anything is deployed: the
// sandbox refuses the same build with the same limits (sandbox/serverless/limits.ts cites them).
import { MAX_BUILD_FUNCTION_VERSIONS } from '../sandbox/serverless/limits';

/**
 * A build holds at most 50 Function Versions (https://www.twilio.com/docs/runtime/functions-assets-api,
 * Limits): a route past the fiftieth would fail every deploy, so the build refuses first and says
 * what to do.
 */
export function functionCountProblem(functionFiles: readonly string[]): string | undefined {
  if (functionFiles.length <= MAX_BUILD_FUNCTION_VERSIONS) return undefined;
  return (
    `${functionFiles.length} Functions in src/functions, but Twilio deploys at most ${MAX_BUILD_FUNCTION_VERSIONS} in one build ` +
    '(https://www.twilio.com/docs/runtime/functions-assets-api, Limits): serve the new route from an existing Function.'
  );
}
