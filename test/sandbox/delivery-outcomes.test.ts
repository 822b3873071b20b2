import twilio from 'twilio';
import type { CallbackReplayResult, DeliveryRecord } from '../../sandbox';
import { MAGIC_DELIVERY_OUTCOMES } from '../../sandbox';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, control, sandboxWithReceiver } from './helpers';

const fixture = sandboxWithReceiver();

describe('sandbox-specific failing recipients', () => {
  it.each([
    ['+15005550010', ['sending', 'sent', 'undelivered'], 'undelivered', 30003],
    ['+15005550011', ['sending', 'sent', 'undelivered'], 'undelivered', 30006],
    ['+15005550012', ['failed'], 'failed', 30008],
    ['+15005550013', ['sending', 'sent', 'undelivered'], 'undelivered', 21610],
  ])('To %s walks %j and ends %s with ErrorCode %i', async (to, statuses, final, code) => {
    const statusCallback = `${fixture.receiver.url}/outcome`;
    const created = await fixture.env.client.messages.create({ to, from: OWNED_NUMBER, body: 'will not arrive', statusCallback });
    expect(created.status).toBe('queued');
    await fixture.env.sandbox.settled();
    const mine = fixture.receiver.requests.filter((r) => r.params.MessageSid === created.sid);
    expect(mine.map((r) => r.params.MessageStatus)).toEqual(statuses);
    const last = mine[mine.length - 1];
    expect(last.params.ErrorCode).toBe(String(code));
    expect(mine.slice(0, -1).every((r) => r.params.ErrorCode === undefined)).toBe(true);
    const fetched = await fixture.env.client.messages(created.sid).fetch();
    expect([fetched.status, fetched.errorCode, fetched.errorMessage]).toEqual([final, code, MAGIC_DELIVERY_OUTCOMES[to].message]);
  });

  it('applies to messages sent through a Messaging Service too', async () => {
    const created = await fixture.env.client.messages.create({
      to: '+15005550012',
      messagingServiceSid: fixture.env.sandbox.messagingServiceSid,
      body: 'x',
    });
    await fixture.env.sandbox.settled();
    const fetched = await fixture.env.client.messages(created.sid).fetch();
    expect([fetched.status, fetched.errorCode, fetched.dateSent, fetched.price]).toEqual(['failed', 30008, null, null]);
  });
});

describe('POST /_sandbox/callbacks/replay', () => {
  it('POSTs exactly the given statuses, in order, signed, with the real callback parameters', async () => {
    const statusCallback = `${fixture.receiver.url}/replay?x=1`;
    const created = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'replay', statusCallback });
    await fixture.env.sandbox.settled();
    fixture.receiver.requests.length = 0;
    const statuses = ['delivered', 'sent', 'sent', 'queued', 'undelivered'];
    const res = await control<CallbackReplayResult>(fixture.env.sandbox, 'POST', '/callbacks/replay', {
      sid: created.sid,
      statuses,
      errorCode: 30005,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sid: created.sid,
      url: statusCallback,
      deliveries: statuses.map((s) => ({ messageStatus: s, status: 200, attempts: 1 })),
    });
    expect(fixture.receiver.requests.map((r) => r.params.MessageStatus)).toEqual(statuses);
    for (const r of fixture.receiver.requests) {
      expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), statusCallback, r.params)).toBe(true);
      expect(r.params).toMatchObject({
        AccountSid: ACCOUNT_SID,
        ApiVersion: '2010-04-01',
        From: OWNED_NUMBER,
        To: CUSTOMER,
        SmsSid: created.sid,
        SmsStatus: r.params.MessageStatus,
      });
    }
    expect(fixture.receiver.requests.map((r) => r.params.ErrorCode)).toEqual([undefined, undefined, undefined, undefined, '30005']);
    expect((await fixture.env.client.messages(created.sid).fetch()).status).toBe('delivered');
    const log = await control<DeliveryRecord[]>(fixture.env.sandbox, 'GET', `/callbacks?sid=${created.sid}`);
    expect(log.body.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered', ...statuses]);
  });

  it('sends to a given url and reports failed deliveries', async () => {
    const created = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'no callback' });
    await fixture.env.sandbox.settled();
    const res = await control<CallbackReplayResult>(fixture.env.sandbox, 'POST', '/callbacks/replay', {
      sid: created.sid,
      statuses: ['sent'],
      url: 'http://127.0.0.1:1/closed',
    });
    expect(res.body.deliveries[0].status).toBeNull();
    expect(res.body.deliveries[0].error).toBeDefined();
    // Refused twice: Twilio's default retry on a connection failure, then 11202 TCP connection refused.
    expect([res.body.deliveries[0].attempts, res.body.deliveries[0].errorCode]).toEqual([2, 11202]);
    fixture.receiver.reply = { status: 500 };
    try {
      const failing = await control<CallbackReplayResult>(fixture.env.sandbox, 'POST', '/callbacks/replay', {
        sid: created.sid,
        statuses: ['sent'],
        url: `${fixture.receiver.url}/x`,
      });
      expect(failing.body.deliveries).toEqual([{ messageStatus: 'sent', status: 500, attempts: 1, errorCode: 11200 }]);
    } finally {
      fixture.receiver.reply = {};
    }
  });

  it('rejects bad input', async () => {
    const created = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'no callback' });
    await fixture.env.sandbox.settled();
    const post = (body: unknown) => control<{ error: { code: string } }>(fixture.env.sandbox, 'POST', '/callbacks/replay', body);
    expect((await post({ sid: created.sid, statuses: ['sent'] })).body.error.code).toBe('no_status_callback');
    expect((await post({ sid: `SM${'0'.repeat(32)}`, statuses: ['sent'], url: fixture.receiver.url })).status).toBe(404);
    expect((await post({ sid: created.sid, statuses: ['posted'], url: fixture.receiver.url })).status).toBe(400);
    expect((await post({ sid: created.sid, statuses: [], url: fixture.receiver.url })).status).toBe(400);
  });
});
