import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { bindNumber, bindSandboxWhatsApp } from '../../local/bind';
import { startLocalFunctions, type LocalFunctions } from '../../local/functions-server';
import { createTwilioClient } from '../../src/lib/twilio/client';
import type { TwilioClient } from '../../src/lib/twilio/sdk';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER, functionsEnv } from './stack';

/**
 * A request budget of 3 s instead of the product's 9 s (FUNCTION_BUDGET_MS), for a stack whose
 * test waits out budgets (an outage handed back to Twilio attempt after attempt): the same path,
 * a third of the wait. Outages such a test makes are sized in these budgets.
 */
export const SHORT_BUDGET_MS = 3_000;
export const SHORT_BUDGET = { FUNCTION_BUDGET_MS: String(SHORT_BUDGET_MS) };

export interface OwnStack {
  sandbox: Sandbox;
  functions: LocalFunctions;
  client: TwilioClient;
  close(): Promise<void>;
}

/**
 * A sandbox and Functions server of the test's own, for tests whose state must not mix with
 * other files' (hour counters, faults, clock) or that need other settings.
 */
export async function startOwnStack(
  env: Record<string, string> | ((sandbox: Sandbox) => Record<string, string> | Promise<Record<string, string>>) = {},
  sandboxOptions: Partial<SandboxOptions> = {},
): Promise<OwnStack> {
  const sandbox = await startSandbox({
    accountSid: TEST_ACCOUNT_SID,
    authToken: TEST_AUTH_TOKEN,
    phoneNumbers: [TEST_PHONE_NUMBER],
    ...sandboxOptions,
  });
  const extra = typeof env === 'function' ? await env(sandbox) : env;
  const functions = await startLocalFunctions({ port: 0, env: { ...functionsEnv(sandbox), ...extra } });
  const client = createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, sandboxUrl: sandbox.url });
  await bindNumber(client, TEST_PHONE_NUMBER, functions.url);
  await bindSandboxWhatsApp(sandbox.url, TEST_PHONE_NUMBER, functions.url);
  return {
    sandbox,
    functions,
    client,
    close: async () => {
      await sandbox.settled();
      await functions.close();
      await sandbox.close();
    },
  };
}
