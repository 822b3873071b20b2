import path from 'node:path';
import { ALL_SETTINGS, checkSettings } from '../src/lib/config/settings';
import { formatProblem } from './env-check';
import type { EnvVars } from './env-file';
import { ROOT_DIR } from './layout';

/**
 * The env file every deploy path uploads: `npm run deploy`, and `twilio-run deploy` /
 * `twilio serverless:deploy`, which read it through `.twilioserverlessrc.js`
 * (`commands.deploy.env`). It never holds a local-only variable; `.env` stays for this machine.
 */
export const DEPLOY_ENV_FILE = path.join(ROOT_DIR, '.env.deploy');

/** Variables that mean something only on this machine (TWILIO_SANDBOX_URL): never uploaded. */
export const LOCAL_ONLY = ALL_SETTINGS.filter((spec) => spec.localOnly).map((spec) => spec.name);

/**
 * Why an env file must not be deployed, one line per problem (variable, what is wrong, the fix),
 * or an empty list. It is read as the deployed service will read it: a local-only variable or
 * the sandbox's test credentials would ship a service that talks to a machine that does not
 * exist, with credentials anyone can read.
 */
export function deployRefusals(
  env: EnvVars,
  { allowAuthToken = false, toSandbox = false }: { allowAuthToken?: boolean; toSandbox?: boolean } = {},
): string[] {
  // To the sandbox, its test account is the account, and its Auth Token a fine credential.
  const refusals = checkSettings(env, { deployed: true, forUpload: !toSandbox }).map(formatProblem);
  if (toSandbox) allowAuthToken = true;
  if (!env.ACCOUNT_SID) refusals.push('ACCOUNT_SID: is missing. Fix: copy the Account SID from the Twilio Console (Account info).');
  const hasKey = Boolean(env.API_KEY && env.API_SECRET);
  if (!hasKey && !allowAuthToken) refusals.push(`API_KEY, API_SECRET: are missing. ${WHY_API_KEY} Fix: ${API_KEY_FIX}.`);
  if (!hasKey && allowAuthToken && !env.AUTH_TOKEN)
    refusals.push('AUTH_TOKEN: is missing, and there is no API key either. Fix: set API_KEY and API_SECRET.');
  if (!env.API_TOKEN)
    refusals.push(
      'API_TOKEN: is missing, so every API action would stay closed. Fix: generate one (npm start writes one into .env; copy it).',
    );
  return refusals;
}

/** Why deploys want an API key (Twilio's guidance: the Auth Token is for local testing, not production). */
export const WHY_API_KEY =
  "Twilio recommends API keys in production, not the Auth Token: a key can be revoked on its own and replaced without downtime, while the Auth Token is the account's master credential, and promoting a new one stops the old one everywhere at once.";
/** The environment variable that allows an Auth-Token-only deploy through twilio-run and the Twilio CLI (which take no flag of ours). */
export const ALLOW_AUTH_TOKEN_VARIABLE = 'TWILIO_COMMS_ALLOW_AUTH_TOKEN';
const API_KEY_FIX = `create a Standard API key (Console > Account > API keys & tokens) and set API_KEY and API_SECRET in the file you deploy; or deploy with the Auth Token anyway: npm run deploy -- --allow-auth-token (${ALLOW_AUTH_TOKEN_VARIABLE}=1 for twilio-run and twilio serverless:deploy)`;

/**
 * `.env.deploy` made from the local `.env`: the same lines, without the local-only variables
 * (comments and order kept, so it reads like the file it came from).
 */
export function deployEnvFrom(localEnvText: string): string {
  const localOnly = new RegExp(`^\\s*(export\\s+)?(${LOCAL_ONLY.join('|')})\\s*=`);
  const kept = localEnvText.split('\n').filter((line) => !localOnly.test(line));
  return [
    '# The env file deploys upload (npm run deploy, twilio-run deploy, twilio serverless:deploy).',
    `# Made from .env without the local-only variables (${LOCAL_ONLY.join(', ')}); edit it for your real account.`,
    ...kept,
  ].join('\n');
}
