// What Twilio's build platform accepts, as Twilio's pages say (read 2026-12): the tooling's own
// copy, kept apart from the sandbox's so that one misreading cannot hide in both.

/**
 * Runtimes a Build may name now. node22 is the default; node24 since 2026-07-08
 * (https://www.twilio.com/en-us/changelog/node-js-v24-is-now-available-for-twilio-functions);
 * node20 is still accepted (https://www.twilio.com/docs/runtime/twilio-functions-nodejs-v10-upgrade:
 * "deployed on Node.js v20 or v22") but Node.js 20 reached its end of life in April 2026; node18
 * and older are refused (https://www.twilio.com/en-us/changelog/node-js-v18-support-ending-for-twilio-functions-and-assets).
 */
const DEFAULT_RUNTIME = 'node22';
const RUNTIMES: Readonly<Record<string, 'current' | 'end of life'>> = { node24: 'current', node22: 'current', node20: 'end of life' };

/**
 * `@twilio/runtime-handler` versions on Twilio's own list
 * (https://www.twilio.com/docs/serverless/functions-assets/handler): Twilio builds only these,
 * whatever npm publishes (npm's 2.1.0 is refused with 20001, serverless-toolkit PR #558).
 */
const LISTED_HANDLERS = [
  ...['2.1.2', '2.0.1', '2.0.0', '1.3.1', '1.3.0'],
  ...['1.2.5', '1.2.4', '1.2.3', '1.2.2', '1.2.1', '1.2.0'],
  ...['1.1.3', '1.1.2', '1.1.1', '1.1.0', '1.0.2', '1.0.1'],
];
/** node24 needs 2.1.2 or later; Twilio upgrades a listed 1.2.0+ to 2.1.2 there (changelog of 2026-07-08). */
const NODE24_MINIMUM = '2.1.2';
export const RUNTIME_HANDLER = '@twilio/runtime-handler';

const parts = (version: string) => version.split('.').map(Number);
const atLeast = (version: string, minimum: string): boolean => {
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

/** Why Twilio would not build (or would not keep running) this runtime and handler, or undefined when both are fine. */
export function runtimeProblem(runtime: string | undefined, handler: string | undefined): string | undefined {
  const name = runtime || DEFAULT_RUNTIME;
  const status = RUNTIMES[name];
  if (!status) return `runtime ${name} is not one Twilio builds (${Object.keys(RUNTIMES).join(', ')}): a new build fails with 82007`;
  if (handler === undefined) return `the build declares no ${RUNTIME_HANDLER}: Twilio's runtime needs one, pinned to a listed version`;
  if (!LISTED_HANDLERS.includes(handler))
    return `${RUNTIME_HANDLER} ${handler} is not on Twilio's list (${LISTED_HANDLERS.slice(0, 3).join(', ')}, …): a new build fails with 20001`;
  if (name === 'node24' && !atLeast(handler, '1.2.0'))
    return `${RUNTIME_HANDLER} ${handler} is below 1.2.0, which node24 refuses (it needs ${NODE24_MINIMUM})`;
  if (status === 'end of life') return `runtime ${name}: Node.js 20 has reached its end of life; Twilio may stop building it`;
  return undefined;
}
