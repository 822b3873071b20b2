// What Twilio's platform accepts in a Serverless deploy: runtimes, the Runtime Handler versions
// it lists, and the documented size and count limits. Each value cites the page it comes from.

/** The runtimes a Build may name now; node18 and older are refused (82007). */
// node20/node22: https://twilio.com/docs/runtime/twilio-functions-nodejs-v10-upgrade ("deployed on Node.js v20 or v22");
// node24: https://www.twilio.com/en-us/changelog/node-js-v24-is-now-available-for-twilio-functions
export const SUPPORTED_RUNTIMES: readonly string[] = ['node20', 'node22', 'node24'];

/** A service's first Build without `Runtime` gets node22 ("Node.js v22 remains the current default"); later ones the last successful Build's. */
// https://www.twilio.com/en-us/changelog/node-js-v24-is-now-available-for-twilio-functions
export const DEFAULT_RUNTIME = 'node22';

/** The Runtime Handler versions Twilio's platform lists (npm's list differs: 2.0.2, 2.0.3, 2.1.0 are not here). */
// https://www.twilio.com/docs/serverless/functions-assets/handler (the "Versions" table)
export const RUNTIME_HANDLER_VERSIONS: readonly string[] = [
  '2.1.2',
  '2.0.1',
  '2.0.0',
  '1.3.1',
  '1.3.0',
  '1.2.5',
  '1.2.4',
  '1.2.3',
  '1.2.2',
  '1.2.1',
  '1.2.0',
  '1.1.3',
  '1.1.2',
  '1.1.1',
  '1.1.0',
  '1.0.2',
  '1.0.1',
];

/** The package name of the Runtime Handler, which every Build carries. */
export const RUNTIME_HANDLER = '@twilio/runtime-handler';

/** "2.0.1 … This is the new default version": what a Build gets when it declares none. */
// https://www.twilio.com/docs/serverless/functions-assets/handler
export const DEFAULT_RUNTIME_HANDLER = '2.0.1';

/** node24 needs 2.1.2; listed versions from 1.2.0 up are upgraded to it, older ones fail the build. */
// https://www.twilio.com/en-us/changelog/node-js-v24-is-now-available-for-twilio-functions
export const NODE24_RUNTIME_HANDLER = '2.1.2';
export const NODE24_UPGRADABLE_FROM = '1.2.0';

/** Where Twilio's 20001 message sends the reader for the valid handler versions. */
// https://github.com/twilio-labs/serverless-toolkit/issues/564 (the platform's message, verbatim)
export const HANDLER_VERSIONS_URL = 'https://www.twilio.com/docs/serverless/functions-assets/handler';

const MB = 1024 * 1024;

/** Largest Asset Version by visibility ("Public and protected 25 MB", "Private 10 MB"). */
// https://www.twilio.com/docs/runtime/functions-assets-api (Limits)
export const MAX_PUBLIC_ASSET_BYTES = 25 * MB;
export const MAX_PRIVATE_ASSET_BYTES = 10 * MB;

/**
 * The upload host reads no body larger than the largest file Twilio documents plus the multipart
 * framing (boundaries, Path, Visibility): anything larger is refused before it is buffered.
 */
export const MAX_UPLOAD_BODY_BYTES = MAX_PUBLIC_ASSET_BYTES + 64 * 1024;

/** Per Build: 50 Function Versions, 1000 public/protected and 50 private Asset Versions. */
// https://www.twilio.com/docs/runtime/functions-assets-api (Limits)
export const MAX_BUILD_FUNCTION_VERSIONS = 50;
export const MAX_BUILD_PUBLIC_ASSET_VERSIONS = 1000;
export const MAX_BUILD_PRIVATE_ASSET_VERSIONS = 50;

/** "An account can have 10 services", "A service can have up to 25 environments". */
// https://www.twilio.com/docs/runtime/functions-assets-api (Limits)
export const MAX_SERVICES = 10;
export const MAX_ENVIRONMENTS = 25;

/** Variable Key "a maximum of 128 characters", Value "a maximum of 450 bytes". */
// https://www.twilio.com/docs/serverless/api/resource/variable (and twilio_serverless_v1.json)
export const MAX_VARIABLE_KEY_CHARS = 128;
export const MAX_VARIABLE_VALUE_BYTES = 450;

/**
 * The invocation context (account metadata, domain name, path and the Variables as a JSON string)
 * over 3 KB makes invocations fail with 82006: the edge checks it when it runs a Function.
 */
// https://www.twilio.com/docs/api/errors/82006
export const MAX_CONTEXT_BYTES = 3 * 1024;

/** Service UniqueName "50 characters or less", Environment UniqueName 100, DomainSuffix 16, FriendlyName 255. */
// twilio_serverless_v1.json (POST /v1/Services, /Environments, /Functions parameter descriptions)
export const MAX_SERVICE_UNIQUE_NAME = 50;
export const MAX_ENVIRONMENT_UNIQUE_NAME = 100;
export const MAX_DOMAIN_SUFFIX = 16;
export const MAX_FRIENDLY_NAME = 255;

/** Twilio's list pages hold up to 1000 resources (Logs' PageSize: "the maximum is 1000"). */
// twilio_serverless_v1.json (GET …/Logs PageSize)
export const MAX_PAGE_SIZE = 1000;

/** The sandbox keeps the latest this many Log lines per environment (Twilio keeps 30 days). */
export const MAX_LOGS_PER_ENVIRONMENT = 10_000;
