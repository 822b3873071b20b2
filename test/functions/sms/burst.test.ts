import { readSettings } from '../../../src/lib/config/settings';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { createStores } from '../../../src/lib/stores';
import { postSignedForm } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { inParallel } from '../../support/wait';

/** UK drama-range numbers (Ofcom's 020 7946 0xxx), valid and never real: 1,000 of them. */
const londonNumber = (i: number) => `+44207946${String(i).padStart(4, '0')}`;
const sidOf = (i: number) => `SM${i.toString(16).padStart(32, '0')}`;

/** A deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// A campaign's STOPs and status callbacks arrive by the hundred per second and none may be lost.
// The sandbox enforces Sync's write limit (20/s per map, 10 s burst) and, on top, answers 150 of
// the writes with 429/54009 as an overloaded Sync would: only the stores' retries keep them.
describe('bursts against the Sync write limit (own sandbox, limit on)', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({}, { syncWriteLimit: { perSecond: 20, burstSeconds: 10 } });
  });
  afterAll(() => own.close());

  /** The next `times` writes to Sync map items whose map name matches are refused with 54009. */
  const throttleWrites = async (mapPattern: string, times: number) => {
    const response = await fetch(`${own.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'POST',
        pathPattern: `^/sync/v1/Services/[^/]+/Maps/${mapPattern}/Items`,
        status: 429,
        code: 54009,
        times,
      }),
    });
    expect(response.status).toBe(201);
  };
  const faultsLeft = async () => ((await (await fetch(`${own.sandbox.url}/_sandbox/faults`)).json()) as unknown[]).length;

  const stores = () => createStores(own.client, readSettings({}), Deadline.in(60_000));

  it('records every one of 500 concurrent STOPs', async () => {
    const senders = Array.from({ length: 500 }, (_, i) => londonNumber(i));
    await throttleWrites('optouts-\\d+', 150);
    const results = await inParallel(senders, 50, (from, i) =>
      postSignedForm(`${own.functions.url}/sms/incoming`, {
        MessageSid: sidOf(100_000 + i),
        From: from,
        To: TEST_PHONE_NUMBER,
        Body: 'STOP',
        NumMedia: '0',
      }),
    );
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(await faultsLeft()).toBe(0);
    const optedOut = await inParallel(senders, 50, (from) => stores().consent.isOptedOut('sms', from));
    expect(optedOut.filter((value) => !value)).toHaveLength(0);
  });

  it('records 1,000 shuffled and repeated status callbacks without losing or double-counting one', async () => {
    await throttleWrites('(messages|stats|claims)(-\\d+)?', 150);
    const messages = Array.from({ length: 250 }, (_, i) => ({ sid: sidOf(i + 1), to: londonNumber(500 + i) }));
    const lifecycle = ['queued', 'sent', 'delivered', 'sent'];
    const callbacks = shuffled(messages.flatMap((message) => lifecycle.map((status) => ({ ...message, status }))));
    expect(callbacks).toHaveLength(1_000);

    const results = await inParallel(callbacks, 50, ({ sid, to, status }) =>
      postSignedForm(`${own.functions.url}/sms/status`, { MessageSid: sid, MessageStatus: status, To: to, From: TEST_PHONE_NUMBER }),
    );
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(await faultsLeft()).toBe(0);

    const records = await inParallel(messages, 50, ({ sid }) => stores().messages.get(sid));
    expect(records.filter((record) => record?.status !== 'delivered')).toEqual([]);
    const { currentHour, previousHour } = await stores().deliveryStats.rate();
    expect(currentHour.delivered + previousHour.delivered).toBe(250);
  });
});
