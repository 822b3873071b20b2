import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeBuilt } from '../support/built-function';
import { sandboxClient } from '../support/sandbox-phone';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER, stack } from '../support/stack';
import { match } from '../support/match';
import { quietly } from '../support/quietly';

/** A deployed service refuses a guessable API_TOKEN too: this one was made with crypto.randomBytes(32). */
const API_TOKEN = 'ZE7jzo-zPQ3bGvdv3kwlNNpOHU4Q47nJ3K6E-BJ3_jE';

// Issue 17: `twilio-run deploy --env .env` once uploaded TWILIO_SANDBOX_URL, and the deployed
// service sent all its Twilio traffic to localhost. The built Functions, run as deployed, refuse it.
describe('the built Functions, run as deployed, refuse sandbox settings by themselves', () => {
  let requests = 0;
  let listener: http.Server;
  let fakeSandbox: string;
  beforeAll(async () => {
    listener = http.createServer((_request, response) => {
      requests += 1;
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    fakeSandbox = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => listener.close(resolve)));

  const deployed = () => ({
    DOMAIN_NAME: 'comms-1234-dev.twil.io',
    TWILIO_SANDBOX_URL: fakeSandbox,
    ACCOUNT_SID: `AC${'a1'.repeat(16)}`,
    AUTH_TOKEN: 'f'.repeat(32),
    API_TOKEN,
    TWILIO_PHONE_NUMBER: TEST_PHONE_NUMBER,
  });
  const send = (context: Record<string, string>) =>
    invokeBuilt('sms/send', context, {
      request: { headers: { authorization: `Bearer ${API_TOKEN}` }, cookies: {} },
      to: '+14155550177',
      body: 'Your order shipped',
    });

  it('a *.twil.io domain: routes answer 503 not_configured naming TWILIO_SANDBOX_URL, and nothing reaches the sandbox URL', async () => {
    const answer = await quietly(() => send(deployed()));
    expect({ status: answer.statusCode, body: answer.body }).toEqual({
      status: 503,
      body: {
        error: {
          code: 'not_configured',
          message: match.stringMatching(
            /^TWILIO_SANDBOX_URL is a local-only setting that a service running on Twilio refuses, so every Twilio request is off/,
          ),
          settings: ['TWILIO_SANDBOX_URL'],
        },
      },
    });
    expect(requests).toBe(0);
  });

  it('a Service SID from the runtime (ZS…) is enough to know it runs on Twilio', async () => {
    const { DOMAIN_NAME: _domain, ...context } = deployed();
    const answer = await quietly(() => send({ ...context, SERVICE_SID: `ZS${'0b'.repeat(16)}` }));
    expect(answer.statusCode).toBe(503);
    expect(requests).toBe(0);
  });

  it('/health reports it: 200 degraded, the name only, and sandbox false', async () => {
    const health = await quietly(() => invokeBuilt('health', deployed(), { request: { headers: {}, cookies: {} } }));
    expect({ status: health.statusCode, body: health.body }).toEqual({
      status: 200,
      body: { status: 'degraded', version: match.any(String), sandbox: false, paused: 'unknown', brokenSettings: ['TWILIO_SANDBOX_URL'] },
    });
    expect(JSON.stringify(health.body)).not.toContain(fakeSandbox);
  });

  it("the sandbox's test credentials, given by the platform itself, are not a refusal at run time (a deploy refuses to upload them)", async () => {
    // The sandbox's edge is the only platform that hands a Function the sandbox's test account
    // (Twilio gives each service its own): the deployed code takes it as given.
    const { TWILIO_SANDBOX_URL: _url, ...context } = deployed();
    const health = await quietly(() =>
      invokeBuilt(
        'health',
        { ...context, ACCOUNT_SID: TEST_ACCOUNT_SID, AUTH_TOKEN: TEST_AUTH_TOKEN },
        { request: { headers: {}, cookies: {} } },
      ),
    );
    expect(health.body).toMatchObject({ status: 'ok', sandbox: false });
  });

  it('on this machine the same Functions talk to the sandbox', async () => {
    const local = {
      ...deployed(),
      DOMAIN_NAME: 'localhost:3000',
      TWILIO_SANDBOX_URL: stack().sandboxUrl,
      ACCOUNT_SID: TEST_ACCOUNT_SID,
      AUTH_TOKEN: TEST_AUTH_TOKEN,
      PUBLIC_BASE_URL: stack().functionsUrl,
    };
    const health = await invokeBuilt('health', local, { request: { headers: {}, cookies: {} } });
    expect(health.body).toMatchObject({ status: 'ok', sandbox: true });
    const answer = await send(local);
    expect(answer.statusCode).toBe(200);
    const sid = (answer.body as { sid: string }).sid;
    expect((await sandboxClient().messages(sid).fetch()).to).toBe('+14155550177');
  });
});
