import { startSandbox, type Sandbox } from '../../sandbox';
import { startLocalFunctions, type LocalFunctions } from '../../local/functions-server';
import { bindNumber, bindSandboxWhatsApp } from '../../local/bind';
import { createTwilioClient } from '../../src/lib/twilio/client';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER, functionsEnv } from './stack';

declare global {
  var __testStack: { sandbox: Sandbox; functions: LocalFunctions } | undefined;
}

/** One sandbox and one local Functions server for the whole run, on free ports. */
export default async function globalSetup(): Promise<void> {
  const sandbox = await startSandbox({
    accountSid: TEST_ACCOUNT_SID,
    authToken: TEST_AUTH_TOKEN,
    phoneNumbers: [TEST_PHONE_NUMBER],
  });
  const functions = await startLocalFunctions({ port: 0, env: functionsEnv(sandbox) });
  const client = createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, sandboxUrl: sandbox.url });
  await bindNumber(client, TEST_PHONE_NUMBER, functions.url);
  await bindSandboxWhatsApp(sandbox.url, TEST_PHONE_NUMBER, functions.url);
  globalThis.__testStack = { sandbox, functions };
  process.env.TEST_SANDBOX_URL = sandbox.url;
  process.env.TEST_FUNCTIONS_URL = functions.url;
  process.env.TEST_VERIFY_SERVICE_SID = sandbox.verifyServiceSid;
}
