// A sandbox and the built Functions for a bench, on the bench's own test account and number.
import { startLocalFunctions, type LocalFunctions } from '../local/functions-server';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';
import { createTwilioClient } from '../src/lib/twilio/client';
import type { TwilioClient } from '../src/lib/twilio/sdk';

export const ACCOUNT_SID = 'AC' + '0'.repeat(32);
export const AUTH_TOKEN = 'benchauthtokennotasecret00000000';
export const API_TOKEN = 'bench-api-token-'.padEnd(48, 'x');
export const OUR_NUMBER = '+15005550006';

export interface BenchStack {
  sandbox: Sandbox;
  functions: LocalFunctions;
  client: TwilioClient;
  /** Closes both; with `settle` (the default) after the sandbox's callbacks in flight are answered. */
  close(options?: { settle?: boolean }): Promise<void>;
}

export async function startBenchStack({
  sandbox: options = {},
  env = () => ({}),
}: {
  sandbox?: Partial<SandboxOptions>;
  /** More variables for the Functions, beside the account, the number and Sync's default service. */
  env?: (sandbox: Sandbox) => Record<string, string>;
} = {}): Promise<BenchStack> {
  const sandbox = await startSandbox({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumbers: [OUR_NUMBER], ...options });
  const functions = await startLocalFunctions({
    port: 0,
    env: {
      ACCOUNT_SID,
      AUTH_TOKEN,
      API_TOKEN,
      TWILIO_SANDBOX_URL: sandbox.url,
      TWILIO_PHONE_NUMBER: OUR_NUMBER,
      SYNC_SERVICE_SID: 'default',
      ...env(sandbox),
    },
  });
  return {
    sandbox,
    functions,
    client: createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, sandboxUrl: sandbox.url }),
    close: async ({ settle = true } = {}) => {
      if (settle) await sandbox.settled().catch(() => undefined);
      await functions.close();
      await sandbox.close();
    },
  };
}
