import type { EnvVars } from './env-file';

/**
 * Why `.env` must not be deployed as it is, or an empty list. Deploying sandbox settings would
 * ship a service that talks to a machine that does not exist, with credentials anyone can read.
 */
export function deployRefusals(env: EnvVars, sandbox: { accountSid?: string; authToken?: string }): string[] {
  const refusals: string[] = [];
  if (env.TWILIO_SANDBOX_URL) {
    refusals.push('TWILIO_SANDBOX_URL is set: remove it from .env so the deployed service talks to Twilio.');
  }
  if (!env.ACCOUNT_SID || env.ACCOUNT_SID === sandbox.accountSid) {
    refusals.push('ACCOUNT_SID is the sandbox test account (or empty): set your real Account SID.');
  }
  const hasKey = Boolean(env.API_KEY && env.API_SECRET);
  if (!hasKey && (!env.AUTH_TOKEN || env.AUTH_TOKEN === sandbox.authToken)) {
    refusals.push('AUTH_TOKEN is the sandbox token (or empty): set your real Auth Token, or API_KEY and API_SECRET.');
  }
  if (!env.API_TOKEN || env.API_TOKEN.length < 32) {
    refusals.push('API_TOKEN is missing or shorter than 32 characters: API actions would be closed or guessable.');
  }
  return refusals;
}
