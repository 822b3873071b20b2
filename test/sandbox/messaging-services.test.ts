import { ACCOUNT_SID, CUSTOMER, OWNED_NUMBER, restError, startTestSandbox, sandboxWithReceiver } from './helpers';

const fixture = sandboxWithReceiver();

describe('Messaging Services (messaging.twilio.com/v1)', () => {
  it('seeds a default service and exposes its SID as sandbox.messagingServiceSid', async () => {
    expect(fixture.env.sandbox.messagingServiceSid).toMatch(/^MG[0-9a-f]{32}$/);
    const services = await fixture.env.client.messaging.v1.services.list();
    expect(services.map((s) => s.sid)).toEqual([fixture.env.sandbox.messagingServiceSid]);
    const one = await fixture.env.client.messaging.v1.services(fixture.env.sandbox.messagingServiceSid).fetch();
    expect(one.accountSid).toBe(ACCOUNT_SID);
    expect(one.friendlyName).toBe('Sandbox Messaging Service');
    expect(one.url).toBe(`https://messaging.twilio.com/v1/Services/${one.sid}`);
    expect(one.links.phone_numbers).toBe(`${one.url}/PhoneNumbers`);
  });

  it('has the account’s numbers in its sender pool', async () => {
    const pool = await fixture.env.client.messaging.v1.services(fixture.env.sandbox.messagingServiceSid).phoneNumbers.list();
    expect(pool.map((n) => n.phoneNumber)).toEqual([OWNED_NUMBER, '+15005550006']);
    const owned = await fixture.env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER });
    expect(pool[0].sid).toBe(owned[0].sid);
    expect(pool[0].countryCode).toBe('US');
  });

  it('answers 404 / 20404 for an unknown service', async () => {
    const error = await restError(fixture.env.client.messaging.v1.services(`MG${'9'.repeat(32)}`).fetch());
    expect([error.status, error.code]).toEqual([404, 20404]);
  });

  it('seeds the services given in options; the first is the default', async () => {
    const sid = `MG${'a'.repeat(32)}`;
    const custom = await startTestSandbox({ messagingServices: [{ sid, friendlyName: 'Alerts' }, { friendlyName: 'Marketing' }] });
    try {
      expect(custom.sandbox.messagingServiceSid).toBe(sid);
      const services = await custom.client.messaging.v1.services.list();
      expect(services.map((s) => s.friendlyName)).toEqual(['Alerts', 'Marketing']);
      const sent = await custom.client.messages.create({ to: CUSTOMER, messagingServiceSid: services[1].sid, body: 'second service' });
      expect(sent.messagingServiceSid).toBe(services[1].sid);
    } finally {
      await custom.sandbox.close();
    }
    await expect(startTestSandbox({ messagingServices: [{ sid: 'MGnope' }] })).rejects.toThrow(/MG \+ 32 hex/);
  });

  it('takes a sender pool from `senders` (pick order), refusing numbers the account does not own', async () => {
    const custom = await startTestSandbox({ messagingServices: [{ senders: ['+15005550006'] }] });
    try {
      const pool = await custom.client.messaging.v1.services(custom.sandbox.messagingServiceSid).phoneNumbers.list();
      expect(pool.map((n) => n.phoneNumber)).toEqual(['+15005550006']);
      const sent = await custom.client.messages.create({
        to: CUSTOMER,
        messagingServiceSid: custom.sandbox.messagingServiceSid,
        body: 'pool of one',
      });
      await custom.sandbox.settled();
      expect((await custom.client.messages(sent.sid).fetch()).from).toBe('+15005550006');
    } finally {
      await custom.sandbox.close();
    }
    await expect(startTestSandbox({ messagingServices: [{ senders: ['+12025550100'] }] })).rejects.toThrow(/not one of phoneNumbers/);
  });
});

describe('Messages through a Messaging Service', () => {
  it('accepts, then queues with the first number of the pool and walks to delivered with a callback per status', async () => {
    fixture.receiver.requests.length = 0;
    const { messagingServiceSid } = fixture.env.sandbox;
    const created = await fixture.env.client.messages.create({
      to: CUSTOMER,
      messagingServiceSid,
      body: 'pool',
      statusCallback: `${fixture.receiver.url}/s`,
    });
    expect(created.status).toBe('accepted');
    expect(created.from).toBeNull();
    expect(created.messagingServiceSid).toBe(messagingServiceSid);
    await fixture.env.sandbox.settled();
    const callbacks = fixture.receiver.requests.filter((r) => r.params.MessageSid === created.sid);
    expect(callbacks.map((r) => r.params.MessageStatus)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    expect(callbacks.every((r) => r.params.From === OWNED_NUMBER && r.params.MessagingServiceSid === messagingServiceSid)).toBe(true);
    const fetched = await fixture.env.client.messages(created.sid).fetch();
    expect([fetched.status, fetched.from]).toEqual(['delivered', OWNED_NUMBER]);
  });

  it('reports num_segments "0" while accepted (no sender yet), the real count once queued', async () => {
    // Message resource: "For messages sent via a Messaging Service, num_segments is initially 0,
    // since a sender hasn't yet been assigned" (https://www.twilio.com/docs/messaging/api/message-resource).
    const body = 'x'.repeat(200); // two GSM-7 segments
    const created = await fixture.env.client.messages.create({
      to: CUSTOMER,
      messagingServiceSid: fixture.env.sandbox.messagingServiceSid,
      body,
    });
    expect([created.status, created.numSegments]).toEqual(['accepted', '0']);
    await fixture.env.sandbox.settled();
    expect((await fixture.env.client.messages(created.sid).fetch()).numSegments).toBe('2');
    const direct = await fixture.env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body });
    expect([direct.status, direct.numSegments]).toEqual(['queued', '2']);
  });

  it('keeps an explicit From when a service is given too', async () => {
    const created = await fixture.env.client.messages.create({
      to: CUSTOMER,
      from: '+15005550006',
      messagingServiceSid: fixture.env.sandbox.messagingServiceSid,
      body: 'explicit',
    });
    expect([created.status, created.from]).toEqual(['accepted', '+15005550006']);
    await fixture.env.sandbox.settled();
    expect((await fixture.env.client.messages(created.sid).fetch()).from).toBe('+15005550006');
  });

  it('rejects an unknown service with 400 / 21701 and a malformed SID with 400 / 21705', async () => {
    const unknown = await restError(
      fixture.env.client.messages.create({ to: CUSTOMER, messagingServiceSid: `MG${'4'.repeat(32)}`, body: 'x' }),
    );
    expect([unknown.status, unknown.code]).toEqual([400, 21701]);
    const malformed = await restError(fixture.env.client.messages.create({ to: CUSTOMER, messagingServiceSid: 'MG123', body: 'x' }));
    expect([malformed.status, malformed.code]).toEqual([400, 21705]);
  });
});
