import twilio from 'twilio';
import { MAX_MESSAGING_REDIRECTS } from '../../sandbox';
import { AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, control, startSandboxAndReceiver, type RoutedReceiver, type TestSandbox } from './helpers';
import { match } from '../support/match';

interface InboundAnswer {
  webhook: { url: string; status: number | null };
  redirects?: Array<{ url: string; method: string; status: number | null; errorCode?: number }>;
  redirectLimit?: boolean;
  fallback?: { url: string; cause: { code: number; url: string } };
  replies: Array<{ body: string }>;
  twimlError?: { code: number; message: string };
  warnings: string[];
}

let env: TestSandbox;
let app: RoutedReceiver;
let numberSid: string;

const twiml = (inner: string): { body: string } => ({ body: `<Response>${inner}</Response>` });

let close: () => Promise<void>;

beforeAll(async () => {
  ({ env, app, numberSid, close } = await startSandboxAndReceiver());
});

afterAll(() => close());

beforeEach(async () => {
  app.requests.length = 0;
  app.routes.clear();
  await env.client.incomingPhoneNumbers(numberSid).update({ smsUrl: `${app.url}/sms/start?tenant=1`, smsFallbackUrl: '' });
});

async function text(body: string): Promise<InboundAnswer> {
  const res = await control<InboundAnswer>(env.sandbox, 'POST', '/phone/sms', { from: CUSTOMER, to: OWNED_NUMBER, body });
  expect(res.status).toBe(200);
  return res.body;
}

describe('Messaging TwiML <Redirect>', () => {
  it('follows a relative URL with POST and the same inbound parameters, signed, and sends the next document’s messages', async () => {
    app.routes.set('/sms/start', [twiml('<Message>first</Message><Redirect>next?step=2</Redirect><Message>never</Message>')]);
    app.routes.set('/sms/next', [twiml('<Message>second</Message>')]);
    const answer = await text('STATUS');

    const [start] = app.to('/sms/start');
    const [next] = app.to('/sms/next');
    expect(next.method).toBe('POST');
    expect(next.url).toBe(`${app.url}/sms/next?step=2`);
    expect(next.params).toEqual(start.params);
    expect(twilio.validateRequest(AUTH_TOKEN, String(next.headers['x-twilio-signature']), next.url, next.params)).toBe(true);
    expect(answer.replies.map((r) => r.body)).toEqual(['first', 'second']);
    expect(answer.redirects).toEqual([match.objectContaining({ url: `${app.url}/sms/next?step=2`, method: 'POST', status: 200 })]);
  });

  it('uses method="GET" (parameters in the signed query)', async () => {
    app.routes.set('/sms/start', [twiml(`<Redirect method="GET">${app.url}/sms/get</Redirect>`)]);
    app.routes.set('/sms/get', [twiml('<Message>via GET</Message>')]);
    const answer = await text('hi');
    const [get] = app.to('/sms/get');
    expect(get.method).toBe('GET');
    expect(new URL(get.url).searchParams.get('Body')).toBe('hi');
    expect(twilio.validateRequest(AUTH_TOKEN, String(get.headers['x-twilio-signature']), get.url, {})).toBe(true);
    expect(answer.replies.map((r) => r.body)).toEqual(['via GET']);
  });

  it('follows a chain of several hops, each a new signed request (a retry loop that ends when the work succeeds)', async () => {
    // The app answers "try again" twice (as while Sync is unavailable), then confirms.
    app.routes.set('/sms/start', [twiml('<Redirect>/sms/retry?attempt=1</Redirect>')]);
    app.routes.set('/sms/retry', [
      twiml('<Redirect>/sms/retry?attempt=2</Redirect>'),
      twiml('<Redirect>/sms/retry?attempt=3</Redirect>'),
      twiml('<Message>You are unsubscribed.</Message>'),
    ]);
    const answer = await text('STOP');
    const retries = app.to('/sms/retry');
    expect(retries.map((r) => new URL(r.url).searchParams.get('attempt'))).toEqual(['1', '2', '3']);
    expect(new Set(retries.map((r) => r.headers['x-twilio-signature'])).size).toBe(3);
    expect(answer.redirects).toHaveLength(3);
    expect(answer.replies.map((r) => r.body)).toEqual(['You are unsubscribed.']);
  });

  it(`stops a loop after ${MAX_MESSAGING_REDIRECTS} redirects with a warning`, async () => {
    app.routes.set('/sms/start', [twiml('<Message>once</Message><Redirect>/sms/loop</Redirect>')]);
    app.routes.set('/sms/loop', [twiml('<Redirect>/sms/loop</Redirect>')]);
    const answer = await text('hi');
    expect(app.to('/sms/loop')).toHaveLength(MAX_MESSAGING_REDIRECTS);
    expect(answer.redirectLimit).toBe(true);
    expect(answer.warnings).toContainEqual(match.stringContaining(`more than ${MAX_MESSAGING_REDIRECTS} redirects`));
    expect(answer.replies.map((r) => r.body)).toEqual(['once']);
  });

  it('reports a redirect target that fails, and uses the fallback URL for it', async () => {
    app.routes.set('/sms/start', [twiml('<Redirect>/sms/broken</Redirect>')]);
    app.routes.set('/sms/broken', [{ status: 503 }]);
    const bare = await text('hi');
    expect(bare.redirects).toEqual([match.objectContaining({ status: 503, errorCode: 11200 })]);
    expect(bare.replies).toEqual([]);

    await env.client.incomingPhoneNumbers(numberSid).update({ smsFallbackUrl: `${app.url}/sms/fallback` });
    app.routes.set('/sms/fallback', [twiml('<Message>from the fallback</Message>')]);
    const answer = await text('hi');
    expect(answer.fallback?.cause).toMatchObject({ code: 11200, url: `${app.url}/sms/broken` });
    expect(answer.replies.map((r) => r.body)).toEqual(['from the fallback']);
  });

  it('refuses a Redirect that is no http(s) URL with 11100', async () => {
    app.routes.set('/sms/start', [twiml('<Redirect>mailto:someone@example.com</Redirect>')]);
    const answer = await text('hi');
    expect(answer.twimlError?.code).toBe(11100);
    expect(answer.redirects).toBeUndefined();
  });
});
