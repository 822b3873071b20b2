import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, control, restError, sandboxWithReceiver, startTestSandbox } from './helpers';
import { match } from '../support/match';

const fixture = sandboxWithReceiver();
const auth = { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` };
const messagesUrl = () => `${fixture.env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Messages`;

describe('Message delete (DELETE /Messages/{Sid}.json)', () => {
  it('deletes a delivered message (204): fetch and list no longer find it', async () => {
    const sent = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'delete me' });
    await fixture.env.sandbox.settled();
    expect(await fixture.env.client.messages(sent.sid).remove()).toBe(true);
    expect(await restError(fixture.env.client.messages(sent.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect((await fixture.env.client.messages.list({ to: CUSTOMER })).map((m) => m.sid)).not.toContain(sent.sid);
    expect(await restError(fixture.env.client.messages(sent.sid).remove())).toMatchObject({ status: 404, code: 20404 });
  });

  it('refuses a message still in flight with 20009 (queued, accepted, scheduled), then deletes it once complete', async () => {
    // https://www.twilio.com/docs/api/errors/20009 "Cannot delete this resource before it is complete".
    const slow = await startTestSandbox({ callbackDelayMs: 50 });
    try {
      const url = `${slow.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Messages`;
      const queued = await slow.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'in flight' });
      const answer = await fetch(`${url}/${queued.sid}.json`, { method: 'DELETE', headers: auth });
      expect(answer.status).toBe(409);
      expect(await answer.json()).toEqual({
        code: 20009,
        message: 'Cannot delete this resource before it is complete',
        more_info: 'https://www.twilio.com/docs/errors/20009',
        status: 409,
      });
      const accepted = await slow.client.messages.create({
        to: CUSTOMER,
        messagingServiceSid: slow.sandbox.messagingServiceSid,
        body: 'pool',
      });
      expect(await restError(slow.client.messages(accepted.sid).remove())).toMatchObject({ status: 409, code: 20009 });
      const sendAt = new Date(slow.sandbox.clock.now() + 3_600_000).toISOString();
      const form = new URLSearchParams({
        To: CUSTOMER,
        MessagingServiceSid: slow.sandbox.messagingServiceSid,
        Body: 'later',
        ScheduleType: 'fixed',
        SendAt: sendAt,
      });
      const scheduled = (await (await fetch(`${url}.json`, { method: 'POST', headers: auth, body: form })).json()) as {
        sid: string;
        status: string;
      };
      expect(scheduled.status).toBe('scheduled');
      expect(await restError(slow.client.messages(scheduled.sid).remove())).toMatchObject({ code: 20009 });
      await slow.client.messages(scheduled.sid).update({ status: 'canceled' });
      expect(await slow.client.messages(scheduled.sid).remove()).toBe(true);
      await slow.sandbox.settled();
      expect(await slow.client.messages(queued.sid).remove()).toBe(true);
      expect(await slow.client.messages(accepted.sid).remove()).toBe(true);
    } finally {
      await slow.sandbox.close();
    }
  });

  it('deletes inbound messages', async () => {
    const number = (await fixture.env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER }))[0];
    await fixture.env.client.incomingPhoneNumbers(number.sid).update({ smsUrl: `${fixture.receiver.url}/sms` });
    const inbound = await control<{ messageSid: string }>(fixture.env.sandbox, 'POST', '/phone/sms', {
      from: CUSTOMER,
      to: OWNED_NUMBER,
      body: 'hi',
    });
    expect(await fixture.env.client.messages(inbound.body.messageSid).remove()).toBe(true);
  });
});

describe('Media subresource (/Messages/{Sid}/Media)', () => {
  it('lists, fetches and deletes the Media of an MMS; the media URL redirects to its source', async () => {
    const urls = ['https://example.com/cat.jpg', 'https://example.com/menu.pdf', 'https://example.com/blob'];
    const sent = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'pictures', mediaUrl: urls });
    expect(sent.numMedia).toBe('3');
    const media = await fixture.env.client.messages(sent.sid).media.list();
    expect(media.map((m) => m.contentType)).toEqual(['image/jpeg', 'application/pdf', 'application/octet-stream']);
    expect(media[0]).toMatchObject({ accountSid: ACCOUNT_SID, parentSid: sent.sid, sid: match.stringMatching(/^ME[0-9a-f]{32}$/) });
    expect(media[0].uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sent.sid}/Media/${media[0].sid}.json`);
    expect((await fixture.env.client.messages(sent.sid).media(media[1].sid).fetch()).contentType).toBe('application/pdf');

    const raw = await fetch(`${messagesUrl()}/${sent.sid}/Media/${media[0].sid}`, { headers: auth, redirect: 'manual' });
    expect([raw.status, raw.headers.get('location')]).toEqual([307, urls[0]]);

    expect(await fixture.env.client.messages(sent.sid).media(media[0].sid).remove()).toBe(true);
    expect((await fixture.env.client.messages(sent.sid).media.list()).map((m) => m.sid)).toEqual([media[1].sid, media[2].sid]);
    expect(await restError(fixture.env.client.messages(sent.sid).media(media[0].sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    await fixture.env.sandbox.settled();
  });

  it('keeps the content types an inbound WhatsApp user sent; an unknown message has no Media (404)', async () => {
    await fixture.env.client.incomingPhoneNumbers
      .list({ phoneNumber: OWNED_NUMBER })
      .then(([n]) => fixture.env.client.incomingPhoneNumbers(n.sid).update({ smsUrl: `${fixture.receiver.url}/sms` }));
    const inbound = await control<{ messageSid: string }>(fixture.env.sandbox, 'POST', '/phone/whatsapp', {
      from: CUSTOMER,
      to: OWNED_NUMBER,
      mediaUrls: ['https://example.com/voice-note'],
      mediaContentTypes: ['audio/ogg'],
    });
    const [note] = await fixture.env.client.messages(inbound.body.messageSid).media.list();
    expect(note.contentType).toBe('audio/ogg');
    const unknown = await fetch(`${messagesUrl()}/SM${'0'.repeat(32)}/Media.json`, { headers: auth });
    expect(unknown.status).toBe(404);
    await fixture.env.sandbox.settled();
  });
});
