// The storm: 1,000 people text STOP at once while Sync enforces its write limit (20/s per map,
// 10 s burst: the stores' shards keep even 2,000 under it, so 1,000 make the same test for half
// the CPU)
// and answers 10 % of writes with 500, through the sandbox's phone, which follows our <Redirect>s
// and the number's fallback URL as Twilio does. Not one opt-out may be lost. And a STOP sent while
// Sync is down for longer than three request budgets is recorded once it is back.
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { addFault, clearFaults, listFaults, syncItems } from '../../support/faults';
import { SHORT_BUDGET, SHORT_BUDGET_MS, startOwnStack, type OwnStack } from '../../support/own-stack';
import { optedOutNumbers } from '../../support/opt-outs';
import { inParallel } from '../../support/wait';

interface Hop {
  url: string;
  status: number | null;
}
interface PhoneResult {
  webhook: Hop;
  fallback?: Hop;
  redirects?: Hop[];
  redirectLimit?: true;
}

/** UK drama-range numbers (Ofcom's 020 7946 0xxx): valid, never real. */
const londonNumber = (i: number) => `+44207946${String(i).padStart(4, '0')}`;

// One in-process Functions site per process: each describe starts its own stack and closes it.
let own: OwnStack;
let quiet: jest.SpyInstance;
beforeAll(() => {
  // Each retried attempt is logged (inbound_retried): hundreds of lines here, by design.
  quiet = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterAll(() => quiet.mockRestore());
afterEach(() => clearFaults(own.sandbox.url));
const syncWriteLimit = { perSecond: 20, burstSeconds: 10 };

async function text(from: string, body: string): Promise<PhoneResult> {
  const response = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
  });
  if (!response.ok) throw new Error(`sandbox phone: ${response.status} ${await response.text()}`);
  return (await response.json()) as PhoneResult;
}

/** The last request Twilio made for the message: the last redirect hop, else the fallback, else the webhook. */
const lastHop = (result: PhoneResult): Hop => result.redirects?.at(-1) ?? result.fallback ?? result.webhook;

describe('STOP storms (own sandbox, Sync write limit on, the product budget)', () => {
  beforeAll(async () => {
    own = await startOwnStack({}, { syncWriteLimit });
  });
  afterAll(() => own.close());

  it('1,000 concurrent STOPs with 10 % of Sync writes answering 500: every one recorded, each answered 200 in the end', async () => {
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems(), status: 500, code: 20500, rate: 0.1, seed: 2_000 });
    const senders = Array.from({ length: 1_000 }, (_, i) => londonNumber(i));
    const results = await inParallel(senders, 64, (from) => text(from, 'STOP'));

    expect(results.filter((result) => lastHop(result).status !== 200).map(lastHop)).toEqual([]);
    const [{ fired }] = await listFaults(own.sandbox.url);
    expect(fired).toBeGreaterThan(100);
    const recorded = await optedOutNumbers(own.client);
    expect(senders.filter((number) => !recorded.has(number))).toEqual([]);
  }, 180_000);
});

describe('a STOP during a Sync outage (own sandbox, 3-second request budget)', () => {
  // The outage spans three and a third budgets (30 s at the product's 9 s): the same chain of
  // attempts as with the product's budget (the storm's stack, above), in a third of the time.
  const OUTAGE_MS = (10 * SHORT_BUDGET_MS) / 3;
  beforeAll(async () => {
    own = await startOwnStack(SHORT_BUDGET, { syncWriteLimit });
  });
  afterAll(() => own.close());

  it('is handed back to Twilio, attempt after attempt, and recorded when Sync returns', async () => {
    const from = londonNumber(9_999);
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('optouts'), status: 503, code: 20503, rate: 1, seed: 1 });
    const outage = new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)).then(() => clearFaults(own.sandbox.url));
    const result = await text(from, 'STOP');
    await outage;

    expect(result.webhook.status).toBe(200); // a <Redirect>, not a failure
    expect(result.redirects?.length).toBeGreaterThanOrEqual(3);
    expect(result.redirects?.map((hop) => new URL(hop.url).pathname)).toEqual(result.redirects?.map(() => '/sms/fallback'));
    expect(lastHop(result).status).toBe(200);
    expect((await optedOutNumbers(own.client)).has(from)).toBe(true);
  }, 90_000);
});
