// Once Twilio Verify has the verification, /verify/start answers success: a failed bookkeeping
// write after it (noting the send, counting it) is logged, never reported, since a caller's retry
// would send a second code.
import { addFault, clearFaults, syncItems } from '../../support/faults';
import { callFromPage } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_ORIGIN } from '../../support/stack';

let own: OwnStack;
let quiet: jest.SpyInstance;
beforeAll(async () => {
  quiet = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  own = await startOwnStack();
});
afterAll(async () => {
  await own.close();
  quiet.mockRestore();
});
afterEach(() => clearFaults(own.sandbox.url));

describe('POST /verify/start after Twilio accepted the verification', () => {
  it('answers success with the verification when counting the send fails', async () => {
    const to = '+447400311111';
    // The day's counters are written only after the create (read before it).
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('verify-stats'), status: 500, code: 20500, rate: 1, seed: 1 });
    const answer = await callFromPage(`${own.functions.url}/verify/start`, { to }, { origin: TEST_ORIGIN });
    expect(answer).toMatchObject({ status: 200, json: { status: 'pending', to } });
    const usage = (await (await fetch(`${own.sandbox.url}/_sandbox/usage`)).json()) as { verifications: number };
    expect(usage.verifications).toBe(1);
  }, 20_000);
});
