import twilio from 'twilio';
import type { DeliveryRecord } from '../../sandbox';
import {
  AUTH_TOKEN,
  ACCOUNT_SID,
  CUSTOMER,
  OWNED_NUMBER,
  control,
  restError,
  startReceiver,
  startTestSandbox,
  type Receiver,
  type TestSandbox,
} from './helpers';

interface InboundAnswer {
  messageSid: string;
  webhook: { url: string; status: number | null; contentType: string | null; body: string };
  replies: Array<{ sid: string; from: string; to: string; body: string; mediaUrls: string[] }>;
  twimlError?: { code: number; message: string };
  warnings: string[];
}

let env: TestSandbox;
let app: Receiver;
let numberSid: string;

beforeAll(async () => {
  env = await startTestSandbox();
  app = await startReceiver();
  const [number] = await env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER });
  numberSid = number.sid;
});

afterAll(async () => {
  await env.sandbox.close();
  await app.close();
});

describe('IncomingPhoneNumbers', () => {
  it('lists the seeded numbers and filters by PhoneNumber', async () => {
    const all = await env.client.incomingPhoneNumbers.list();
    expect(all.map((n) => n.phoneNumber)).toEqual([OWNED_NUMBER, '+15005550006']);
    expect(all[0].sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(all[0].friendlyName).toBe('(415) 555-0142');
    expect(await env.client.incomingPhoneNumbers.list({ phoneNumber: '+19999999999' })).toEqual([]);
  });

  it('updates the SMS and voice configuration', async () => {
    const updated = await env.client.incomingPhoneNumbers(numberSid).update({
      smsUrl: `${app.url}/sms`,
      smsMethod: 'POST',
      voiceUrl: `${app.url}/voice`,
      friendlyName: 'Support line',
    });
    expect(updated.smsUrl).toBe(`${app.url}/sms`);
    expect(updated.voiceUrl).toBe(`${app.url}/voice`);
    expect(updated.friendlyName).toBe('Support line');
    expect((await env.client.incomingPhoneNumbers(numberSid).fetch()).smsUrl).toBe(`${app.url}/sms`);
  });

  it('rejects an invalid SmsMethod and an unknown number SID', async () => {
    const bad = await restError(env.client.incomingPhoneNumbers(numberSid).update({ smsMethod: 'PUT' }));
    expect([bad.status, bad.code]).toEqual([400, 21403]);
    const missing = await restError(env.client.incomingPhoneNumbers(`PN${'0'.repeat(32)}`).fetch());
    expect([missing.status, missing.code]).toEqual([404, 20404]);
  });
});

describe('the phone: inbound SMS', () => {
  beforeAll(async () => {
    await env.client.incomingPhoneNumbers(numberSid).update({ smsUrl: `${app.url}/sms?tenant=1`, smsMethod: 'POST' });
  });

  it('posts Twilio’s signed inbound parameters to SmsUrl and records TwiML replies as messages', async () => {
    app.requests.length = 0;
    app.reply = {
      contentType: 'text/xml',
      body:
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks &amp; welcome</Message>' +
        '<Message to="+12025550155"><Body>Second</Body><Media>https://example.com/cat.png</Media></Message></Response>',
    };
    const answer = await control<InboundAnswer>(env.sandbox, 'POST', '/phone/sms', {
      from: CUSTOMER,
      to: OWNED_NUMBER,
      body: 'Hi there',
      mediaUrls: ['https://example.com/in.jpg'],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.webhook.status).toBe(200);

    const [request] = app.requests;
    const url = `${app.url}/sms?tenant=1`;
    expect(twilio.validateRequest(AUTH_TOKEN, String(request.headers['x-twilio-signature']), url, request.params)).toBe(true);
    expect(request.params).toMatchObject({
      MessageSid: answer.body.messageSid,
      SmsSid: answer.body.messageSid,
      SmsMessageSid: answer.body.messageSid,
      AccountSid: ACCOUNT_SID,
      From: CUSTOMER,
      To: OWNED_NUMBER,
      Body: 'Hi there',
      NumMedia: '1',
      NumSegments: '1',
      MediaUrl0: 'https://example.com/in.jpg',
      MediaContentType0: 'image/jpeg',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
      FromCountry: 'US',
      ToCountry: 'US',
    });
    for (const name of ['FromState', 'FromCity', 'FromZip', 'ToState', 'ToCity', 'ToZip']) expect(request.params).toHaveProperty(name);

    const inbound = await env.client.messages(answer.body.messageSid).fetch();
    expect([inbound.direction, inbound.status, inbound.body]).toEqual(['inbound', 'received', 'Hi there']);

    expect(answer.body.replies.map((r) => [r.from, r.to, r.body, r.mediaUrls])).toEqual([
      [OWNED_NUMBER, CUSTOMER, 'Thanks & welcome', []],
      [OWNED_NUMBER, '+12025550155', 'Second', ['https://example.com/cat.png']],
    ]);
    await env.sandbox.settled();
    const reply = await env.client.messages(answer.body.replies[0].sid).fetch();
    expect([reply.direction, reply.status]).toEqual(['outbound-reply', 'delivered']);
  });

  it('reports a failing webhook without throwing', async () => {
    app.reply = { status: 500, contentType: 'text/plain', body: 'boom' };
    const answer = await control<InboundAnswer>(env.sandbox, 'POST', '/phone/sms', { from: CUSTOMER, to: OWNED_NUMBER, body: 'x' });
    expect(answer.status).toBe(200);
    expect(answer.body.webhook).toMatchObject({ status: 500, body: 'boom' });
    expect(answer.body.replies).toEqual([]);
  });

  it('reports malformed TwiML as 12100', async () => {
    app.reply = { contentType: 'text/xml', body: '<Response><Message>unclosed</Response>' };
    const answer = await control<InboundAnswer>(env.sandbox, 'POST', '/phone/sms', { from: CUSTOMER, to: OWNED_NUMBER, body: 'x' });
    expect(answer.status).toBe(200);
    expect(answer.body.twimlError?.code).toBe(12100);
    expect(answer.body.replies).toEqual([]);
  });

  it('answers a clear 4xx for an unknown number or one without SmsUrl', async () => {
    const unknown = await control<{ error: { code: string } }>(env.sandbox, 'POST', '/phone/sms', {
      from: CUSTOMER,
      to: '+12025550111',
      body: 'x',
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'unknown_number']);
    const noUrl = await control<{ error: { code: string } }>(env.sandbox, 'POST', '/phone/sms', {
      from: CUSTOMER,
      to: '+15005550006',
      body: 'x',
    });
    expect([noUrl.status, noUrl.body.error.code]).toEqual([409, 'no_sms_url']);
    const invalid = await control<{ error: { code: string } }>(env.sandbox, 'POST', '/phone/sms', { to: OWNED_NUMBER });
    expect(invalid.status).toBe(400);
  });

  it('lists deliveries in order at /_sandbox/callbacks', async () => {
    const all = await control<DeliveryRecord[]>(env.sandbox, 'GET', '/callbacks');
    const inbound = all.body.filter((r) => r.url.startsWith(`${app.url}/sms`));
    expect(inbound.length).toBeGreaterThanOrEqual(3);
    expect(inbound.map((r) => r.status).slice(0, 2)).toEqual([200, 500]);
    expect(inbound.every((r) => r.method === 'POST' && r.signature.length > 0)).toBe(true);
  });
});
