import { startSandbox, type Sandbox } from '../sandbox';
import { createTwilioClient } from '../src/lib/twilio/client';
import type { TwilioClient } from '../src/lib/twilio/sdk';
import { portFrom } from './cli-args';
import { SANDBOX_DATA_DIR } from './layout';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Starts the sandbox an env file describes, at its `TWILIO_SANDBOX_URL` (on this machine only),
 * with the account, API key, numbers (TWILIO_PHONE_NUMBER, CONVERSATIONS_NUMBER), Messaging Service and Verify service it names, so the same
 * `.env` works against the sandbox and against Twilio. Its port is also the HTTPS proxy for Twilio's
 * hosts (HTTP_PROXY), with the CA at `<repo>/.sandbox/ca.pem`.
 */
export function startSandboxFor(env: Env): Promise<Sandbox> {
  const configured = new URL(env.TWILIO_SANDBOX_URL ?? '');
  if (!['localhost', '127.0.0.1'].includes(configured.hostname)) {
    throw new Error(`TWILIO_SANDBOX_URL must point at this machine (localhost), not ${configured.hostname}`);
  }
  return startSandbox({
    port: portFrom(configured.port || undefined, 80),
    accountSid: env.ACCOUNT_SID ?? '',
    authToken: env.AUTH_TOKEN ?? '',
    apiKeys: env.API_KEY && env.API_SECRET ? [{ sid: env.API_KEY, secret: env.API_SECRET }] : [],
    // CONVERSATIONS_NUMBER is a second number of the account, the one Conversations owns.
    phoneNumbers: [env.TWILIO_PHONE_NUMBER, env.CONVERSATIONS_NUMBER].filter((n): n is string => Boolean(n)),
    ...(env.MESSAGING_SERVICE_SID ? { messagingServices: [{ sid: env.MESSAGING_SERVICE_SID }] } : {}),
    ...(env.VERIFY_SERVICE_SID ? { verifyServices: [{ sid: env.VERIFY_SERVICE_SID }] } : {}),
    proxy: { caDir: SANDBOX_DATA_DIR },
  });
}

/** twilio-node for the account an env file names (its API key when set; the sandbox while TWILIO_SANDBOX_URL is set). */
export const clientFor = (env: Env): TwilioClient =>
  createTwilioClient({
    accountSid: env.ACCOUNT_SID ?? '',
    authToken: env.AUTH_TOKEN,
    apiKey: env.API_KEY,
    apiSecret: env.API_SECRET,
    sandboxUrl: env.TWILIO_SANDBOX_URL,
  });
