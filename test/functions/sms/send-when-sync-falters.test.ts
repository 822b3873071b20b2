// Once Twilio has accepted a message, the caller hears success: Sync failing around the send is
// retried, and a tracking write that still fails is logged and repaired by the status callback.
import { callApi, type HttpResult } from '../../support/http';
import { addFault, clearFaults, listFaults, syncItems } from '../../support/faults';
import { SHORT_BUDGET, startOwnStack, type OwnStack } from '../../support/own-stack';
import { eventually, inParallel } from '../../support/wait';
import { match } from '../../support/match';

let line = 0;
/** UK mobiles of this file's own sandbox. */
const uniquePhone = () => `+4474001${String(line++).padStart(5, '0')}`;
// One in-process Functions site per process: each describe starts its own stack and closes it.
let own: OwnStack;
afterEach(() => clearFaults(own.sandbox.url));

const send = (to: string, body: string): Promise<HttpResult> =>
  callApi(`${own.functions.url}/sms/send`, { method: 'POST', body: { to, body } });

describe('POST /sms/send when every tracking write fails (3-second request budget)', () => {
  // The send, and each status callback that meets the outage, spend their whole budget retrying
  // Sync: 3 s each here instead of the product's 9 s.
  beforeAll(async () => {
    own = await startOwnStack(SHORT_BUDGET);
  });
  afterAll(() => own.close());

  it('answers success when Twilio accepted the message but every tracking write fails; the status callback repairs the record', async () => {
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('messages'), status: 500, code: 20500, rate: 1, seed: 1 });
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const to = uniquePhone();
    const result = await send(to, 'Your code is ready');
    const logged = warnings.mock.calls.map(([line]) => String(line));
    warnings.mockRestore();
    expect({ status: result.status, body: result.json }).toMatchObject({ status: 200, body: { sid: match.stringMatching(/^SM/) } });
    const { sid: sent } = result.json as { sid: string };
    expect(logged.filter((line) => line.includes('"event":"bookkeeping_failed"') && line.includes(sent))).toHaveLength(1);
    const { sid } = result.json as { sid: string };
    expect(await own.client.messages.list({ to })).toHaveLength(1);
    // Nothing was recorded by the send; the status callbacks, retried by the Function until Sync
    // answers again, create the record.
    const tracked = async () => (await callApi(`${own.functions.url}/sms/message?sid=${sid}`)).json as { status?: string };
    expect(await tracked()).toMatchObject({ error: { code: 'not_found' } });
    await clearFaults(own.sandbox.url);
    // A callback that met the outage spent its budget retrying, then Twilio tried it again (#rc): allow for that.
    expect(await eventually(tracked, (record) => record.status === 'delivered', 40_000)).toMatchObject({ sid, to, status: 'delivered' });
    // Twilio is asked to retry a status callback that failed (connection overrides on our URL, unsigned).
    const callbacks = (await (await fetch(`${own.sandbox.url}/_sandbox/callbacks?sid=${sid}`)).json()) as Array<{
      url: string;
      fragment?: string;
    }>;
    expect(callbacks.length).toBeGreaterThan(0);
    for (const callback of callbacks) expect(callback).toMatchObject({ url: match.not.stringContaining('#'), fragment: 'rc=3&rp=all' });
  }, 60_000);
});

describe('POST /sms/send when Sync falters', () => {
  beforeAll(async () => {
    own = await startOwnStack();
  });
  // The 300 messages' status callbacks are still coming in after the test: let them finish.
  afterAll(async () => {
    await own.sandbox.settled(50_000);
    await own.close();
  }, 60_000);

  it('300 sends with 10 % of Sync writes answering 500: 300 successes, 300 messages, none twice, all tracked', async () => {
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems(), status: 500, code: 20500, rate: 0.1, seed: 16 });
    const recipients = Array.from({ length: 300 }, () => uniquePhone());
    const results = await inParallel(recipients, 20, (to) => send(to, `Order for ${to} shipped`));

    expect(results.filter((result) => result.status !== 200).map((result) => result.text)).toEqual([]);
    const [{ fired }] = await listFaults(own.sandbox.url);
    expect(fired).toBeGreaterThan(20); // the faults did hit
    const sent = await own.client.messages.list({ limit: 1000 });
    const outbound = sent.filter((message) => message.direction === 'outbound-api');
    expect(outbound).toHaveLength(300);
    expect(new Set(outbound.map((message) => message.to)).size).toBe(300);
    const sids = results.map((result) => (result.json as { sid: string }).sid);
    expect(new Set(sids)).toEqual(new Set(outbound.map((message) => message.sid)));
  }, 60_000);
});
