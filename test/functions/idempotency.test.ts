import { Deadline } from '../../src/lib/runtime/deadline';
import { LEASE_MS, idempotencyItemKey, requestFingerprint } from '../../src/lib/runtime/idempotency';
import { IDEMPOTENCY_MAP, type IdempotencyRecord } from '../../src/lib/stores/idempotency';
import { SyncMapStore } from '../../src/lib/stores/sync-map-store';
import { toResult, type HttpResult } from '../support/http';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { TEST_API_TOKEN, TEST_PHONE_NUMBER } from '../support/stack';
import { match } from '../support/match';

// Issue 16: Idempotency-Key on POST /sms/send, /whatsapp/send, /voice/call and /campaigns.
// Own sandbox: the tests count every message and call to their numbers, inject faults, and plant
// the claims of attempts that died.
const OTHER_API_TOKEN = 'second-api-token-'.padEnd(48, 'y');

describe('Idempotency-Key', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ API_TOKEN: `${TEST_API_TOKEN},${OTHER_API_TOKEN}` });
  });
  afterAll(() => own.close());

  let line = 100;
  const newNumber = () => `+1213555${String(line++).padStart(4, '0')}`;
  let keys = 0;
  const newKey = () => `test-key-${keys++}-${'k'.repeat(20)}`;

  const post = async (
    path: string,
    body: Record<string, unknown>,
    { key, token = TEST_API_TOKEN }: { key?: string; token?: string } = {},
  ): Promise<HttpResult> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (key !== undefined) headers['idempotency-key'] = key;
    return toResult(await fetch(`${own.functions.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
  };
  const sendSms = (body: Record<string, unknown>, options?: { key?: string; token?: string }) => post('/sms/send', body, options);
  const replayed = (result: HttpResult) => result.headers.get('idempotent-replayed');
  const messagesTo = (to: string) => own.client.messages.list({ to });
  const phone = (channel: 'sms' | 'whatsapp', from: string, body: string) =>
    fetch(`${own.sandbox.url}/_sandbox/phone/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
    });
  const fault = (spec: Record<string, unknown>) =>
    fetch(`${own.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });

  describe('POST /sms/send', () => {
    it('answers a retry with the first answer, marked Idempotent-Replayed, and Twilio holds one message', async () => {
      const to = newNumber();
      const key = newKey();
      const first = await sendSms({ to, body: 'Your order has shipped.' }, { key });
      expect(first.status).toBe(200);
      expect(replayed(first)).toBeNull();
      const second = await sendSms({ to, body: 'Your order has shipped.' }, { key });
      expect(second.status).toBe(200);
      expect(second.json).toEqual(first.json);
      expect(replayed(second)).toBe('true');
      expect(await messagesTo(to)).toHaveLength(1);
    });

    it('sends once when two requests with one key arrive together: the other gets the answer or 409 request_in_progress', async () => {
      const to = newNumber();
      const key = newKey();
      const results = await Promise.all([1, 2, 3].map(() => sendSms({ to, body: 'Together' }, { key })));
      for (const result of results) {
        if (result.status === 409) {
          expect(result.json).toMatchObject({ error: { code: 'request_in_progress' } });
          expect(result.headers.get('retry-after')).toMatch(/^\d+$/);
        } else expect(result.status).toBe(200);
      }
      const sids = new Set(results.filter((result) => result.status === 200).map((result) => (result.json as { sid: string }).sid));
      expect(sids.size).toBe(1);
      expect(await messagesTo(to)).toHaveLength(1);
    });

    it('refuses the key with other parameters (422 idempotency_key_reused), on this route or another', async () => {
      const to = newNumber();
      const key = newKey();
      expect((await sendSms({ to, body: 'First' }, { key })).status).toBe(200);
      expect(await sendSms({ to, body: 'Second' }, { key })).toMatchObject({
        status: 422,
        json: { error: { code: 'idempotency_key_reused' } },
      });
      expect(await post('/voice/call', { to, message: 'First' }, { key })).toMatchObject({
        status: 422,
        json: { error: { code: 'idempotency_key_reused' } },
      });
      expect(await messagesTo(to)).toHaveLength(1);
    });

    it("keeps each API token's keys apart: the same key under another token is another request", async () => {
      const to = newNumber();
      const key = newKey();
      const mine = await sendSms({ to, body: 'For token one' }, { key });
      const theirs = await sendSms({ to, body: 'For token two' }, { key, token: OTHER_API_TOKEN });
      expect(theirs.status).toBe(200);
      expect((theirs.json as { sid: string }).sid).not.toBe((mine.json as { sid: string }).sid);
      const mineAgain = await sendSms({ to, body: 'For token one' }, { key });
      const theirsAgain = await sendSms({ to, body: 'For token two' }, { key, token: OTHER_API_TOKEN });
      expect([replayed(mineAgain), replayed(theirsAgain)]).toEqual(['true', 'true']);
      expect(mineAgain.json).toEqual(mine.json);
      expect(theirsAgain.json).toEqual(theirs.json);
      expect(await messagesTo(to)).toHaveLength(2);
    });

    it('replays a final refusal (opted_out) even after the recipient opted back in', async () => {
      const to = newNumber();
      const key = newKey();
      await phone('sms', to, 'STOP');
      const refused = await sendSms({ to, body: 'Sale today!' }, { key });
      expect(refused).toMatchObject({ status: 409, json: { error: { code: 'opted_out' } } });
      await phone('sms', to, 'START');
      const again = await sendSms({ to, body: 'Sale today!' }, { key });
      expect(again.status).toBe(409);
      expect(again.json).toEqual(refused.json);
      expect(replayed(again)).toBe('true');
      // A new key is a new request: the recipient is reachable again.
      expect((await sendSms({ to, body: 'Sale today!' }, { key: newKey() })).status).toBe(200);
      expect(await messagesTo(to)).toHaveLength(1);
    });

    it('keeps the key claimed after a 5xx from Twilio (it may have taken the message); gives it back for parameters refused before any work', async () => {
      const to = newNumber();
      const key = newKey();
      await fault({ method: 'POST', pathPattern: '/Messages\\.json$', status: 500, code: 20500, times: 1 });
      const failed = await sendSms({ to, body: 'Try again' }, { key });
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(await messagesTo(to)).toHaveLength(0);
      // A 5xx can come after Twilio created the message, and its list may not show it yet: the
      // claim stays until its lease ends, when a retry reconciles with Twilio's list first.
      expect(await sendSms({ to, body: 'Try again' }, { key })).toMatchObject({
        status: 409,
        json: { error: { code: 'request_in_progress' } },
      });
      expect(await messagesTo(to)).toHaveLength(0);

      const other = newKey();
      expect(await sendSms({ to }, { key: other })).toMatchObject({ status: 400, json: { error: { code: 'missing_parameter' } } });
      const fixed = await sendSms({ to, body: 'Fixed' }, { key: other });
      expect(fixed.status).toBe(200);
      expect(replayed(await sendSms({ to, body: 'Fixed' }, { key: other }))).toBe('true');
    });

    it.each([
      ['256 characters', 'k'.repeat(256)],
      ['non-ASCII', 'caf\u00e9'],
    ])('refuses a key of %s with 400 invalid_idempotency_key before any work', async (_name, key) => {
      const to = newNumber();
      expect(await sendSms({ to, body: 'hi' }, { key })).toMatchObject({
        status: 400,
        json: { error: { code: 'invalid_idempotency_key' } },
      });
      expect(await messagesTo(to)).toHaveLength(0);
    });

    it('sends as before without the header: each request is its own', async () => {
      const to = newNumber();
      await sendSms({ to, body: 'One' });
      await sendSms({ to, body: 'One' });
      expect(await messagesTo(to)).toHaveLength(2);
    });
  });

  describe('an attempt that died between its claim and its answer', () => {
    const claims = () =>
      new SyncMapStore<IdempotencyRecord>(own.client, { service: 'default', ...IDEMPOTENCY_MAP, deadline: Deadline.in(9_000) });
    /** The claim a Function killed mid-request leaves: in flight, taken `ageMs` ago. */
    const plantClaim = async (key: string, path: string, params: Record<string, unknown>, ageMs: number) => {
      const claimedAt = Date.now() - ageMs;
      const record: IdempotencyRecord = {
        fingerprint: requestFingerprint(path, params),
        state: 'in_flight',
        attempt: 'dead-attempt',
        claimedAt,
        leaseUntil: claimedAt + LEASE_MS,
      };
      expect(await claims().createIfAbsent(idempotencyItemKey(TEST_API_TOKEN, key), record)).toBe(true);
    };
    const stale = LEASE_MS + 5_000;
    const deadSend = (to: string, body: string) => own.client.messages.create({ to, from: TEST_PHONE_NUMBER, body });

    it('while its lease runs, the key answers 409 request_in_progress and nothing is sent', async () => {
      const to = newNumber();
      const key = newKey();
      await plantClaim(key, '/sms/send', { to, body: 'Pending' }, 1_000);
      const result = await sendSms({ to, body: 'Pending' }, { key });
      expect(result).toMatchObject({ status: 409, json: { error: { code: 'request_in_progress' } } });
      expect(await messagesTo(to)).toHaveLength(0);
    });

    it('after its lease, the message it sent is found in Twilio and answered (reconciled), never sent again', async () => {
      const to = newNumber();
      const key = newKey();
      await plantClaim(key, '/sms/send', { to, body: 'Shipped' }, stale);
      const sent = await deadSend(to, 'Shipped');
      const result = await sendSms({ to, body: 'Shipped' }, { key });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({ sid: sent.sid, status: match.any(String), to, reconciled: true });
      expect(replayed(result)).toBe('true');
      expect((await sendSms({ to, body: 'Shipped' }, { key })).json).toEqual(result.json);
      expect(await messagesTo(to)).toHaveLength(1);
    });

    it('after its lease, when it sent nothing, the retry takes the key over and sends once', async () => {
      const to = newNumber();
      const key = newKey();
      await plantClaim(key, '/sms/send', { to, body: 'Lost' }, stale);
      const result = await sendSms({ to, body: 'Lost' }, { key });
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ sid: match.stringMatching(/^SM/), to });
      expect(replayed(await sendSms({ to, body: 'Lost' }, { key }))).toBe('true');
      expect(await messagesTo(to)).toHaveLength(1);
    });

    it('after its lease, when Twilio holds several candidates, refuses with 409 idempotency_outcome_unknown rather than risk a duplicate', async () => {
      const to = newNumber();
      const key = newKey();
      await plantClaim(key, '/sms/send', { to, body: 'Which one' }, stale);
      const sids = [(await deadSend(to, 'Which one')).sid, (await deadSend(to, 'Another')).sid];
      const result = await sendSms({ to, body: 'Which one' }, { key });
      expect(result).toMatchObject({ status: 409, json: { error: { code: 'idempotency_outcome_unknown' } } });
      expect([...(result.json as { error: { sids: string[] } }).error.sids].sort()).toEqual([...sids].sort());
      expect((await sendSms({ to, body: 'Which one' }, { key })).json).toEqual(result.json);
      expect(await messagesTo(to)).toHaveLength(2);
    });

    it('for /voice/call, the call it placed is found in the Calls list', async () => {
      const to = newNumber();
      const key = newKey();
      await fetch(`${own.sandbox.url}/_sandbox/phone/callee`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number: to, outcome: 'busy' }),
      });
      await plantClaim(key, '/voice/call', { to, message: 'Your table is ready.' }, stale);
      const placed = await own.client.calls.create({
        to,
        from: TEST_PHONE_NUMBER,
        twiml: '<Response><Say>Your table is ready.</Say></Response>',
      });
      const result = await post('/voice/call', { to, message: 'Your table is ready.' }, { key });
      expect(result).toMatchObject({ status: 200, json: { sid: placed.sid, to, reconciled: true } });
      expect(await own.client.calls.list({ to })).toHaveLength(1);
    });
  });

  describe('the other routes', () => {
    it('POST /whatsapp/send replays the first answer and sends once', async () => {
      const user = '+447400123401';
      expect((await phone('whatsapp', user, 'hi')).status).toBe(200);
      const key = newKey();
      const first = await post('/whatsapp/send', { to: `whatsapp:${user}`, body: 'Thanks for writing!' }, { key });
      expect(first).toMatchObject({ status: 200, json: { path: 'session' } });
      const second = await post('/whatsapp/send', { to: `whatsapp:${user}`, body: 'Thanks for writing!' }, { key });
      expect(second.json).toEqual(first.json);
      expect(replayed(second)).toBe('true');
      const sent = await own.client.messages.list({ to: `whatsapp:${user}` });
      expect(sent.filter((message) => message.direction === 'outbound-api')).toHaveLength(1);
    });

    it('POST /voice/call replays the first answer and calls once', async () => {
      const to = newNumber();
      await fetch(`${own.sandbox.url}/_sandbox/phone/callee`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number: to, outcome: 'busy' }),
      });
      const key = newKey();
      const first = await post('/voice/call', { to, message: 'Your table is ready.' }, { key });
      expect(first).toMatchObject({ status: 200, json: { sid: match.stringMatching(/^CA/), kind: 'message' } });
      const second = await post('/voice/call', { to, message: 'Your table is ready.' }, { key });
      expect(second.json).toEqual(first.json);
      expect(replayed(second)).toBe('true');
      expect(await own.client.calls.list({ to })).toHaveLength(1);
    });

    it('POST /campaigns replays the first answer: one campaign, the same id', async () => {
      const key = newKey();
      const first = await post('/campaigns', { name: 'Reminders', body: 'Hi {{name}}' }, { key });
      expect(first).toMatchObject({ status: 201, json: { id: match.any(String), state: 'open' } });
      const second = await post('/campaigns', { name: 'Reminders', body: 'Hi {{name}}' }, { key });
      expect(second.status).toBe(201);
      expect(second.json).toEqual(first.json);
      expect(replayed(second)).toBe('true');
      expect(await post('/campaigns', { name: 'Other', body: 'Hi' }, { key })).toMatchObject({
        status: 422,
        json: { error: { code: 'idempotency_key_reused' } },
      });
    });

    it('POST /campaigns gives the key back when it refuses the parameters before any work', async () => {
      const key = newKey();
      expect(await post('/campaigns', { name: 'Reminders' }, { key })).toMatchObject({ status: 400 });
      expect(await post('/campaigns', { name: 'Reminders', body: 'Hi {{name}}' }, { key })).toMatchObject({ status: 201 });
    });
  });
});
