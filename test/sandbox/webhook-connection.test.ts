import twilio from 'twilio';
import type { CallbackReplayResult, DeliveryRecord } from '../../sandbox';
import { freePort } from '../support/free-port';
import {
  AUTH_TOKEN,
  CUSTOMER,
  OWNED_NUMBER,
  control,
  startSandboxAndReceiver,
  startTestSandbox,
  type RoutedReceiver,
  type TestSandbox,
} from './helpers';
import { match } from '../support/match';

let env: TestSandbox;
let app: RoutedReceiver;
let messageSid: string;

let close: () => Promise<void>;

beforeAll(async () => {
  ({ env, app, close } = await startSandboxAndReceiver());
  messageSid = (await env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'for replays' })).sid;
  await env.sandbox.settled();
});

afterAll(() => close());

/** One signed status callback of the test message to `url`, through the dispatcher. */
async function deliverTo(url: string): Promise<{ result: CallbackReplayResult['deliveries'][number]; log: DeliveryRecord[] }> {
  const before = (await control<DeliveryRecord[]>(env.sandbox, 'GET', `/callbacks?sid=${messageSid}`)).body.length;
  const res = await control<CallbackReplayResult>(env.sandbox, 'POST', '/callbacks/replay', {
    sid: messageSid,
    statuses: ['delivered'],
    url,
  });
  expect(res.status).toBe(200);
  const log = (await control<DeliveryRecord[]>(env.sandbox, 'GET', `/callbacks?sid=${messageSid}`)).body.slice(before);
  return { result: res.body.deliveries[0], log };
}

describe('connection overrides: the URL fragment', () => {
  it('is never sent, and the signature is over the URL without it', async () => {
    const { result, log } = await deliverTo(`${app.url}/plain?tenant=a#rc=2&rp=5xx`);
    expect(result).toEqual({ messageStatus: 'delivered', status: 200, attempts: 1 });
    const [received] = app.to('/plain');
    expect(received.url).toBe(`${app.url}/plain?tenant=a`);
    expect(twilio.validateRequest(AUTH_TOKEN, String(received.headers['x-twilio-signature']), received.url, received.params)).toBe(true);
    expect(log).toEqual([match.objectContaining({ url: `${app.url}/plain?tenant=a`, fragment: 'rc=2&rp=5xx', attempt: 1, status: 200 })]);
  });

  it('retries a 5xx answer with rp=5xx, each attempt a new signed request logged with its number', async () => {
    app.routes.set('/flaky', [{ status: 503 }, { status: 502 }, {}]);
    const { result, log } = await deliverTo(`${app.url}/flaky#rc=3&rp=5xx`);
    expect(result).toEqual({ messageStatus: 'delivered', status: 200, attempts: 3 });
    expect(log.map((r) => [r.attempt, r.status, r.errorCode])).toEqual([
      [1, 503, 11200],
      [2, 502, 11200],
      [3, 200, undefined],
    ]);
    const received = app.to('/flaky');
    expect(received).toHaveLength(3);
    for (const r of received) {
      expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), r.url, r.params)).toBe(true);
    }
  });

  it('stops after rc retries', async () => {
    app.routes.set('/down', [{ status: 500 }]);
    const { result, log } = await deliverTo(`${app.url}/down#rc=2&rp=all`);
    expect(result).toMatchObject({ status: 500, attempts: 3, errorCode: 11200 });
    expect(log.map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it('retries a 4xx only when rp names it', async () => {
    app.routes.set('/gone', [{ status: 404 }, {}]);
    expect((await deliverTo(`${app.url}/gone#rc=1&rp=5xx`)).result).toMatchObject({ status: 404, attempts: 1, errorCode: 11200 });
    app.routes.set('/gone4', [{ status: 404 }, {}]);
    expect((await deliverTo(`${app.url}/gone4#rc=1&rp=4xx`)).result).toMatchObject({ status: 200, attempts: 2 });
  });

  it('applies rt to a webhook that never answers, and retries it with rp=rt', async () => {
    app.routes.set('/hang', ['hang']);
    const started = Date.now();
    const { result, log } = await deliverTo(`${app.url}/hang#rt=200&rc=1&rp=rt`);
    expect(result).toMatchObject({ status: null, attempts: 2, errorCode: 11205 });
    expect(log.map((r) => [r.attempt, r.errorCode])).toEqual([
      [1, 11205],
      [2, 11205],
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops at the total time tt with 11203, whatever the retries left', async () => {
    app.routes.set('/slow', ['hang']);
    const { result, log } = await deliverTo(`${app.url}/slow#rt=1000&tt=300&rc=5&rp=all`);
    expect(result).toMatchObject({ status: null, attempts: 1, errorCode: 11203 });
    expect(log).toHaveLength(1);
  });

  it('refuses an invalid retry policy with 11243 and makes no request', async () => {
    const { result, log } = await deliverTo(`${app.url}/never#rp=sometimes`);
    expect(result).toMatchObject({ status: null, attempts: 0, errorCode: 11243 });
    expect(log).toEqual([match.objectContaining({ attempt: 0, errorCode: 11243, status: null, fragment: 'rp=sometimes' })]);
    expect(app.to('/never')).toHaveLength(0);
  });

  it('ignores an out-of-range value with a warning and still sends', async () => {
    const { result, log } = await deliverTo(`${app.url}/range#ct=50&rc=9&e=dublin`);
    expect(result).toMatchObject({ status: 200, attempts: 1 });
    expect(log[0].warnings).toEqual([
      'ct=50 is not a whole number from 100 to 10000: ignored',
      'rc=9 is not a whole number from 0 to 5: ignored',
      'e=dublin is accepted but not emulated by the sandbox',
    ]);
  });
});

describe('Twilio’s default retry (no fragment)', () => {
  it('retries a refused connection once, then reports 11202', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/closed`;
    const { result, log } = await deliverTo(closed);
    expect(result).toMatchObject({ status: null, attempts: 2, errorCode: 11202 });
    expect(log.map((r) => [r.attempt, r.errorCode])).toEqual([
      [1, 11202],
      [2, 11202],
    ]);
  });

  it('does not retry a 5xx answer', async () => {
    app.routes.set('/once', [{ status: 500 }, {}]);
    expect((await deliverTo(`${app.url}/once`)).result).toMatchObject({ status: 500, attempts: 1, errorCode: 11200 });
  });
});

describe('webhookTimeouts (sandbox option)', () => {
  it('shortens the read timeout of URLs without overrides', async () => {
    const quick = await startTestSandbox({ webhookTimeouts: { readMs: 150 } });
    try {
      app.routes.set('/stuck', ['hang']);
      const sid = (await quick.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'x' })).sid;
      await quick.sandbox.settled();
      const res = await control<CallbackReplayResult>(quick.sandbox, 'POST', '/callbacks/replay', {
        sid,
        statuses: ['sent'],
        url: `${app.url}/stuck`,
      });
      // A read timeout is not retried by default (only connection failures are).
      expect(res.body.deliveries[0]).toMatchObject({ status: null, attempts: 1, errorCode: 11205 });
    } finally {
      await quick.sandbox.close();
    }
  });
});
