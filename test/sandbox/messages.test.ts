import twilio from 'twilio';
import { createTwilioClient } from '../../src/lib/twilio/client';
import type { DeliveryRecord } from '../../sandbox';
import {
  ACCOUNT_SID,
  API_KEY,
  AUTH_TOKEN,
  CUSTOMER,
  OWNED_NUMBER,
  control,
  restError,
  sandboxWithReceiver,
  startTestSandbox,
} from './helpers';

const fixture = sandboxWithReceiver();

describe('authentication', () => {
  it('rejects a wrong auth token with 401 / 20003 in Twilio’s error shape', async () => {
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'wrong', sandboxUrl: fixture.env.sandbox.url });
    const error = await restError(client.messages.list({ limit: 1 }));
    expect(error.status).toBe(401);
    expect(error.code).toBe(20003);
    expect(error.moreInfo).toBe('https://www.twilio.com/docs/errors/20003');
  });

  it('rejects requests without credentials', async () => {
    const res = await fetch(`${fixture.env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  it('rejects another account’s SID in the URL', async () => {
    const other = `AC${'f'.repeat(32)}`;
    const client = createTwilioClient({ accountSid: other, authToken: AUTH_TOKEN, sandboxUrl: fixture.env.sandbox.url });
    const error = await restError(client.messages.list({ limit: 1 }));
    expect(error.status).toBe(401);
    expect(error.code).toBe(20003);
  });

  it('accepts an API key and secret, and rejects a wrong secret', async () => {
    const good = createTwilioClient({
      accountSid: ACCOUNT_SID,
      apiKey: API_KEY.sid,
      apiSecret: API_KEY.secret,
      sandboxUrl: fixture.env.sandbox.url,
    });
    expect(Array.isArray(await good.messages.list({ limit: 1 }))).toBe(true);
    const bad = createTwilioClient({
      accountSid: ACCOUNT_SID,
      apiKey: API_KEY.sid,
      apiSecret: 'nope',
      sandboxUrl: fixture.env.sandbox.url,
    });
    expect((await restError(bad.messages.list({ limit: 1 }))).code).toBe(20003);
  });

  it('answers 404 / 20404 for an unknown resource', async () => {
    const error = await restError(fixture.env.client.messages(`SM${'a'.repeat(32)}`).fetch());
    expect(error.status).toBe(404);
    expect(error.code).toBe(20404);
  });
});

describe('Messages', () => {
  it('creates a queued outbound message with Twilio’s fields and fetches it back', async () => {
    const created = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'Hello from the sandbox' });
    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(created.status).toBe('queued');
    expect(created.direction).toBe('outbound-api');
    expect(created.accountSid).toBe(ACCOUNT_SID);
    expect(created.numSegments).toBe('1');
    expect(created.numMedia).toBe('0');
    expect(Number.isNaN(created.dateCreated.getTime())).toBe(false);
    expect(created.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${created.sid}.json`);

    const fetched = await fixture.env.client.messages(created.sid).fetch();
    expect(fetched.body).toBe('Hello from the sandbox');
    expect(fetched.to).toBe(CUSTOMER);
    expect(fetched.from).toBe(OWNED_NUMBER);
  });

  it('writes dates in RFC 2822 like the 2010 API', async () => {
    const created = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'dates' });
    const raw = await fetch(`${fixture.env.sandbox.url}/api${created.uri}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` },
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(raw.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('counts segments (GSM-7 153 per part, UCS-2 67) and media', async () => {
    const long = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'a'.repeat(161) });
    expect(long.numSegments).toBe('2');
    const unicode = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: '😀'.repeat(36) });
    expect(unicode.numSegments).toBe('2');
    const media = await fixture.env.client.messages.create({
      to: CUSTOMER,
      from: OWNED_NUMBER,
      mediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
    });
    expect(media.numMedia).toBe('2');
  });

  it('accepts a message sent through a Messaging Service only, then assigns a sender', async () => {
    const { messagingServiceSid } = fixture.env.sandbox;
    const created = await fixture.env.client.messages.create({ to: CUSTOMER, messagingServiceSid, body: 'via service' });
    expect(created.status).toBe('accepted');
    expect(created.messagingServiceSid).toBe(messagingServiceSid);
    await fixture.env.sandbox.settled();
    const later = await fixture.env.client.messages(created.sid).fetch();
    expect(later.status).toBe('delivered');
    expect(later.from).toBe(OWNED_NUMBER);
  });

  it('pages through the list with list() and each(), newest first, without duplicates', async () => {
    const to = '+12025550177';
    const sids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      sids.push((await fixture.env.client.messages.create({ to, from: OWNED_NUMBER, body: `page ${i}` })).sid);
    }
    const listed = await fixture.env.client.messages.list({ to, pageSize: 3 });
    expect(listed.map((m) => m.sid)).toEqual([...sids].reverse());

    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => (error ? reject(error) : resolve());
      fixture.env.client.messages.each({ to, pageSize: 2, done }, (m) => {
        seen.push(m.sid);
      });
    });
    expect(seen).toEqual([...sids].reverse());

    const first = await fixture.env.client.messages.page({ to, pageSize: 3 });
    expect(first.instances).toHaveLength(3);
    expect(first.nextPageUrl).toContain('PageToken=PA');
    const second = await first.nextPage();
    expect(second?.instances.map((m) => m.sid)).toEqual([sids[3], sids[2], sids[1]]);
    const back = await second?.previousPage();
    expect(back?.instances.map((m) => m.sid)).toEqual([sids[6], sids[5], sids[4]]);
  });

  it('filters the list by From and DateSent', async () => {
    const to = '+12025550178';
    const m = await fixture.env.client.messages.create({ to, from: '+15005550006', body: 'filter me' });
    await fixture.env.sandbox.settled();
    const byFrom = await fixture.env.client.messages.list({ to, from: '+15005550006' });
    expect(byFrom.map((x) => x.sid)).toEqual([m.sid]);
    const sent = (await fixture.env.client.messages(m.sid).fetch()).dateSent;
    // Dates must come from twilio-node's own realm: jest gives tests a separate `Date`, which
    // twilio-node's `instanceof Date` serializer would not recognise.
    const TwilioDate = sent.constructor as DateConstructor;
    const dayBefore = new TwilioDate(sent.getTime() - 86_400_000);
    expect(await fixture.env.client.messages.list({ to, dateSent: sent })).toHaveLength(1);
    expect(await fixture.env.client.messages.list({ to, dateSentBefore: dayBefore })).toHaveLength(0);
    expect(await fixture.env.client.messages.list({ to, dateSentAfter: dayBefore })).toHaveLength(1);
    expect(await fixture.env.client.messages.list({ to, dateSentBefore: sent })).toHaveLength(1);
  });

  it('walks queued → sending → sent → delivered and POSTs each later status, signed, in order', async () => {
    fixture.receiver.requests.length = 0;
    const statusCallback = `${fixture.receiver.url}/status?tenant=a`;
    const created = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'track me', statusCallback });
    await fixture.env.sandbox.settled();

    const mine = fixture.receiver.requests.filter((r) => r.params.MessageSid === created.sid);
    expect(mine.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    for (const request of mine) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      const signature = String(request.headers['x-twilio-signature']);
      expect(twilio.validateRequest(AUTH_TOKEN, signature, statusCallback, request.params)).toBe(true);
      expect(request.params).toMatchObject({
        SmsSid: created.sid,
        SmsStatus: request.params.MessageStatus,
        AccountSid: ACCOUNT_SID,
        From: OWNED_NUMBER,
        To: CUSTOMER,
        ApiVersion: '2010-04-01',
      });
      expect(request.params.ErrorCode).toBeUndefined();
    }
    const fetched = await fixture.env.client.messages(created.sid).fetch();
    expect(fetched.status).toBe('delivered');
    expect(Number.isNaN(fetched.dateSent.getTime())).toBe(false);
    expect(fetched.price).toMatch(/^-\d+\.\d+$/);

    const log = await control<DeliveryRecord[]>(fixture.env.sandbox, 'GET', `/callbacks?sid=${created.sid}`);
    expect(log.body.map((r) => [r.params.MessageStatus, r.status, r.url])).toEqual([
      ['sending', 200, statusCallback],
      ['sent', 200, statusCallback],
      ['delivered', 200, statusCallback],
    ]);
  });

  it('includes MessagingServiceSid in callbacks when the message used one', async () => {
    fixture.receiver.requests.length = 0;
    const { messagingServiceSid } = fixture.env.sandbox;
    const created = await fixture.env.client.messages.create({
      to: CUSTOMER,
      messagingServiceSid,
      body: 'svc',
      statusCallback: `${fixture.receiver.url}/svc`,
    });
    await fixture.env.sandbox.settled();
    const statuses = fixture.receiver.requests.filter((r) => r.params.MessageSid === created.sid);
    expect(statuses.map((r) => r.params.MessageStatus)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    expect(statuses.every((r) => r.params.MessagingServiceSid === messagingServiceSid)).toBe(true);
  });
});

describe('Messages validation and magic numbers', () => {
  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ])('To %s fails with %i (HTTP 400)', async (to, code) => {
    const error = await restError(fixture.env.client.messages.create({ to, from: '+15005550006', body: 'x' }));
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(error.moreInfo).toBe(`https://www.twilio.com/docs/errors/${code}`);
  });

  it.each([
    ['+15005550001', 21212],
    ['+15005550007', 21606],
    ['+15005550008', 21611],
    ['+12025550199', 21606],
  ])('From %s fails with %i (HTTP 400)', async (from, code) => {
    const error = await restError(fixture.env.client.messages.create({ to: CUSTOMER, from, body: 'x' }));
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
  });

  it('accepts the magic sender +15005550006', async () => {
    const sandbox = await startTestSandbox({ phoneNumbers: [OWNED_NUMBER] });
    try {
      const m = await sandbox.client.messages.create({ to: CUSTOMER, from: '+15005550006', body: 'ok' });
      expect(m.status).toBe('queued');
    } finally {
      await sandbox.sandbox.close();
    }
  });

  it('requires To (21604), From or MessagingServiceSid (21603), Body or MediaUrl (21602), ≤ 1600 chars (21617)', async () => {
    const post = (form: Record<string, string>) =>
      fetch(`${fixture.env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form).toString(),
      }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code: number }).code }));
    expect(await post({ From: OWNED_NUMBER, Body: 'x' })).toEqual({ status: 400, code: 21604 });
    expect(await post({ To: CUSTOMER, Body: 'x' })).toEqual({ status: 400, code: 21603 });
    expect(await post({ To: CUSTOMER, From: OWNED_NUMBER })).toEqual({ status: 400, code: 21602 });
    expect(await post({ To: CUSTOMER, From: OWNED_NUMBER, Body: 'x'.repeat(1601) })).toEqual({ status: 400, code: 21617 });
    expect(await post({ To: 'not-a-number', From: OWNED_NUMBER, Body: 'x' })).toEqual({ status: 400, code: 21211 });
  });
});
