// A sandbox and the built Functions, for counting round trips: the sandbox holds status callbacks
// back (so no callback's requests mix with the operation being counted), and every Twilio request
// can be slowed down by an injected latency.
import { provisionSyncMaps } from '../../src/lib/stores/provision';
import { startBenchStack, type BenchStack } from '../stack';

export const PAGE_ORIGIN = 'https://app.example';

/** Status callbacks wait this long: longer than any counted operation and its quiet period. */
const CALLBACKS_HELD_MS = 10 * 60_000;

export type LatencyStack = BenchStack;

export async function startLatencyStack(): Promise<LatencyStack> {
  const stack = await startBenchStack({
    sandbox: { callbackDelayMs: CALLBACKS_HELD_MS },
    env: (sandbox) => ({ VERIFY_SERVICE_SID: sandbox.verifyServiceSid, ALLOWED_ORIGINS: PAGE_ORIGIN, ALLOWED_COUNTRIES: 'US' }),
  });
  // As `npm start` and `npm run deploy` do: the maps exist before the first request.
  await provisionSyncMaps(stack.client, 'default');
  // Held-back callbacks are dropped: the sandbox is not waited for.
  return { ...stack, close: () => stack.close({ settle: false }) };
}
