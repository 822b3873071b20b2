// A sandbox and the built Functions, for counting round trips: the sandbox holds status callbacks
// back (so no callback's requests mix with the operation being counted), and every Twilio request
// can be slowed down by an injected latency.
import { startSandbox, type Sandbox } from '../../sandbox';
import { startLocalFunctions, type LocalFunctions } from '../../local/functions-server';
import { provisionSyncMaps } from '../../src/lib/stores/provision';
import { createTwilioClient } from '../../src/lib/twilio/client';
import type { TwilioClient } from '../../src/lib/twilio/sdk';

export const ACCOUNT_SID = 'AC' + '0'.repeat(32);
export const AUTH_TOKEN = 'latencybenchauthtoken00000000000';
export const API_TOKEN = 'latency-bench-api-token-'.padEnd(48, 'x');
export const OUR_NUMBER = '+15005550006';
export const PAGE_ORIGIN = 'https://app.example';

/** Status callbacks wait this long: longer than any counted operation and its quiet period. */
const CALLBACKS_HELD_MS = 10 * 60_000;

export interface LatencyStack {
  sandbox: Sandbox;
  functions: LocalFunctions;
  client: TwilioClient;
  close(): Promise<void>;
}

export async function startLatencyStack(): Promise<LatencyStack> {
  const sandbox = await startSandbox({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    phoneNumbers: [OUR_NUMBER],
    callbackDelayMs: CALLBACKS_HELD_MS,
  });
  const functions = await startLocalFunctions({
    port: 0,
    env: {
      ACCOUNT_SID,
      AUTH_TOKEN,
      API_TOKEN,
      TWILIO_SANDBOX_URL: sandbox.url,
      TWILIO_PHONE_NUMBER: OUR_NUMBER,
      SYNC_SERVICE_SID: 'default',
      VERIFY_SERVICE_SID: sandbox.verifyServiceSid,
      ALLOWED_ORIGINS: PAGE_ORIGIN,
      ALLOWED_COUNTRIES: 'US',
    },
  });
  const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, sandboxUrl: sandbox.url });
  // As `npm start` and `npm run deploy` do: the maps exist before the first request.
  await provisionSyncMaps(client, 'default');
  return {
    sandbox,
    functions,
    client,
    // Held-back callbacks are dropped: the sandbox is not waited for.
    close: async () => {
      await functions.close();
      await sandbox.close();
    },
  };
}
