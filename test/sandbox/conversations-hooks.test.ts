import { control, OWNED_NUMBER, restError, startRoutedReceiver, startTestSandbox, type RoutedReceiver, type TestSandbox } from './helpers';

interface Routing {
  conversation: {
    conversationSid: string | null;
    participantSid: string | null;
    conversationMessageSid: string | null;
    autocreated: boolean;
    rejected?: string;
  };
  messageSid: string;
}

/**
 * Conversations webhooks beyond the basics (conversations.test.ts): pre-action rejection and
 * modification, the 5 s limit (shortened by the sandbox's webhookTimeouts: the outcome is asserted,
 * not the time), the 30 actions/s limit on a frozen sandbox clock, the post-action events of
 * updates and removals, the account-level webhook configuration, WhatsApp autocreation and the
 * SDK stand-in control route.
 */
describe('sandbox Conversations webhooks and limits', () => {
  let env: TestSandbox;
  let app: RoutedReceiver;
  const conversations = () => env.client.conversations.v1;
  let serviceSid: string;

  beforeAll(async () => {
    env = await startTestSandbox({ webhookTimeouts: { totalMs: 300 } });
    app = await startRoutedReceiver();
    serviceSid = (await conversations().configuration().fetch()).defaultChatServiceSid;
  });
  afterAll(async () => {
    await env.sandbox.close();
    await app.close();
  });
  afterEach(async () => {
    await env.sandbox.settled();
    app.requests.length = 0;
    app.routes.clear();
    await conversations().services(serviceSid).configuration.webhooks().update({ preWebhookUrl: '', postWebhookUrl: '', filters: [] });
    await conversations().configuration.webhooks().update({ preWebhookUrl: '', postWebhookUrl: '', filters: [], target: 'webhook' });
    for (const a of await conversations().addressConfigurations.list()) await conversations().addressConfigurations(a.sid).remove();
  });

  async function autocreateOn(type: 'sms' | 'whatsapp'): Promise<void> {
    await conversations().addressConfigurations.create({ type, address: OWNED_NUMBER, 'autoCreation.enabled': true });
  }

  it('an inbound SMS that onMessageAdd answers 403 is received but not published: no conversation message, no post-action event', async () => {
    await autocreateOn('sms');
    app.routes.set('/pre', [{ status: 403 }]);
    await conversations()
      .services(serviceSid)
      .configuration.webhooks()
      .update({ preWebhookUrl: `${app.url}/pre`, postWebhookUrl: `${app.url}/post`, filters: ['onMessageAdd', 'onMessageAdded'] });
    const user = '+12025550160';
    const sent = await control<Routing>(env.sandbox, 'POST', '/phone/sms', { from: user, to: OWNED_NUMBER, body: 'spam spam' });
    expect(sent.status).toBe(200);
    expect(sent.body.conversation).toMatchObject({ rejected: 'onMessageAdd', conversationMessageSid: null, autocreated: true });
    // Twilio received the SMS (its channel Message exists); the conversation got nothing.
    expect((await env.client.messages(sent.body.messageSid).fetch()).status).toBe('received');
    const sid = sent.body.conversation.conversationSid as string;
    expect(await conversations().conversations(sid).messages.list()).toEqual([]);
    await env.sandbox.settled();
    expect(app.to('/pre').map((r) => [r.params.EventType, r.params.Source, r.params.Body])).toEqual([['onMessageAdd', 'SMS', 'spam spam']]);
    expect(app.to('/post')).toEqual([]);
  });

  it('a 200 JSON answer to onMessageAdd modifies body and author; the SDK route sends as the identity with Source SDK', async () => {
    app.routes.set('/pre', [
      { status: 200, contentType: 'application/json', body: JSON.stringify({ body: 'Hello ***', author: 'moderated' }) },
    ]);
    await conversations()
      .services(serviceSid)
      .configuration.webhooks()
      .update({ preWebhookUrl: `${app.url}/pre`, filters: ['onMessageAdd'] });
    const c = await conversations().conversations.create({});
    await conversations().conversations(c.sid).participants.create({ identity: 'agent-1' });
    const sent = await control<{ sid: string; author: string; body: string }>(env.sandbox, 'POST', `/conversations/${c.sid}/messages`, {
      identity: 'agent-1',
      body: 'Hello darn',
    });
    expect(sent.status).toBe(201);
    expect([sent.body.author, sent.body.body]).toEqual(['moderated', 'Hello ***']);
    expect(app.to('/pre').map((r) => [r.params.Source, r.params.ClientIdentity, r.params.Body])).toEqual([
      ['SDK', 'agent-1', 'Hello darn'],
    ]);
    // Rejected: 403 from the control route, nothing published.
    app.routes.set('/pre', [{ status: 500 }]);
    const refused = await control<{ error: { code: string } }>(env.sandbox, 'POST', `/conversations/${c.sid}/messages`, {
      identity: 'agent-1',
      body: 'again',
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'rejected_by_webhook']);
    expect((await conversations().conversations(c.sid).messages.list()).map((m) => m.body)).toEqual(['Hello ***']);
    const stranger = await control<{ error: { code: string } }>(env.sandbox, 'POST', `/conversations/${c.sid}/messages`, {
      identity: 'nobody',
      body: 'hi',
    });
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'not_a_participant']);
  });

  it('a pre-action webhook that never answers does not block: after the limit the message is published unmodified', async () => {
    await autocreateOn('sms');
    app.routes.set('/hang', ['hang']);
    await conversations()
      .services(serviceSid)
      .configuration.webhooks()
      .update({ preWebhookUrl: `${app.url}/hang`, filters: ['onMessageAdd'] });
    const sent = await control<Routing>(env.sandbox, 'POST', '/phone/sms', { from: '+12025550161', to: OWNED_NUMBER, body: 'anyone?' });
    expect(sent.body.conversation.rejected).toBeUndefined();
    const messages = await conversations()
      .conversations(sent.body.conversation.conversationSid as string)
      .messages.list();
    expect(messages.map((m) => [m.sid, m.body])).toEqual([[sent.body.conversation.conversationMessageSid, 'anyone?']]);
    const attempts = await control<Array<{ url: string; status: number | null; errorCode?: number }>>(env.sandbox, 'GET', '/callbacks');
    expect(attempts.body.filter((a) => a.url.endsWith('/hang')).map((a) => [a.status, a.errorCode])).toEqual([[null, 11205]]);
  });

  it('counts 30 actions per conversation in one second of the sandbox clock: the 31st is 429 / 50063, the next second takes more', async () => {
    env.sandbox.clock.freeze(true);
    try {
      const c = await conversations().conversations.create({});
      const messages = conversations().conversations(c.sid).messages;
      for (let i = 0; i < 30; i += 1) await messages.create({ body: `m${i}` });
      const limited = await restError(messages.create({ body: 'one too many' }));
      expect([limited.status, limited.code]).toEqual([429, 50063]);
      // Another conversation has its own count.
      const other = await conversations().conversations.create({});
      await expect(conversations().conversations(other.sid).messages.create({ body: 'fine' })).resolves.toBeDefined();
      env.sandbox.clock.advance(1000);
      await expect(messages.create({ body: 'next second' })).resolves.toBeDefined();
    } finally {
      env.sandbox.clock.freeze(false);
    }
  });

  it('reports updates and removals to the account-level webhook with Twilio’s parameters', async () => {
    const filters = [
      'onMessageUpdated',
      'onMessageRemoved',
      'onConversationUpdated',
      'onConversationRemoved',
      'onParticipantUpdated',
      'onParticipantRemoved',
      'onConversationStateUpdated',
    ];
    const configured = await conversations()
      .configuration.webhooks()
      .update({ postWebhookUrl: `${app.url}/global`, method: 'POST', filters, target: 'webhook' });
    expect([configured.postWebhookUrl, configured.target, configured.filters]).toEqual([`${app.url}/global`, 'webhook', filters]);
    // REST actions report only when asked with X-Twilio-Webhook-Enabled: true.
    const echo = { xTwilioWebhookEnabled: 'true' } as const;
    const c = await conversations().conversations.create({ friendlyName: 'before', ...echo });
    const p = await conversations()
      .conversations(c.sid)
      .participants.create({ 'messagingBinding.address': '+12025550162', 'messagingBinding.proxyAddress': OWNED_NUMBER, ...echo });
    const m = await conversations()
      .conversations(c.sid)
      .messages.create({ author: 'agent', body: 'first', ...echo });
    await conversations()
      .conversations(c.sid)
      .messages(m.sid)
      .update({ body: 'edited', ...echo });
    await conversations().conversations(c.sid).messages(m.sid).remove(echo);
    await conversations()
      .conversations(c.sid)
      .participants(p.sid)
      .update({ attributes: '{"vip":true}', ...echo });
    await conversations().conversations(c.sid).participants(p.sid).remove(echo);
    await conversations()
      .conversations(c.sid)
      .update({ friendlyName: 'after', state: 'inactive', ...echo });
    await conversations().conversations(c.sid).remove(echo);
    await env.sandbox.settled();
    const events = app.to('/global').map((r) => r.params);
    expect(events.map((e) => e.EventType)).toEqual([
      'onMessageUpdated',
      'onMessageRemoved',
      'onParticipantUpdated',
      'onParticipantRemoved',
      'onConversationStateUpdated',
      'onConversationUpdated',
      'onConversationRemoved',
    ]);
    const [updated, removed, pUpdated, pRemoved, state, cUpdated, cRemoved] = events;
    expect(updated).toMatchObject({
      ConversationSid: c.sid,
      MessageSid: m.sid,
      Index: '0',
      Body: 'edited',
      Author: 'agent',
      Source: 'API',
    });
    expect(removed).toMatchObject({ MessageSid: m.sid, Body: 'edited' });
    expect(removed.DateRemoved).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(pUpdated).toMatchObject({
      ParticipantSid: p.sid,
      Attributes: '{"vip":true}',
      'MessagingBinding.Address': '+12025550162',
      'MessagingBinding.ProxyAddress': OWNED_NUMBER,
      'MessagingBinding.Type': 'SMS',
    });
    expect(pRemoved).toMatchObject({ ParticipantSid: p.sid, 'MessagingBinding.Type': 'SMS' });
    expect(pRemoved.DateRemoved).toBeDefined();
    expect(state).toMatchObject({
      ConversationSid: c.sid,
      StateFrom: 'active',
      StateTo: 'inactive',
      Reason: 'API',
      ChatServiceSid: serviceSid,
    });
    expect(state.StateUpdated).toBeDefined();
    expect(cUpdated).toMatchObject({ ConversationSid: c.sid, FriendlyName: 'after', State: 'inactive' });
    expect(cRemoved).toMatchObject({ ConversationSid: c.sid, FriendlyName: 'after' });
    expect(cRemoved.DateRemoved).toBeDefined();
    // Target flex routes inside Twilio: the sandbox sends nothing there.
    await conversations().configuration.webhooks().update({ target: 'flex' });
    app.requests.length = 0;
    const d = await conversations().conversations.create({ ...echo });
    await conversations()
      .conversations(d.sid)
      .update({ friendlyName: 'unseen', ...echo });
    await env.sandbox.settled();
    expect(app.to('/global')).toEqual([]);
  });

  it('autocreates a conversation from an inbound WhatsApp message to a whatsapp Address Configuration', async () => {
    await autocreateOn('whatsapp');
    const user = '+12025550163';
    const first = await control<Routing>(env.sandbox, 'POST', '/phone/whatsapp', {
      from: `whatsapp:${user}`,
      to: OWNED_NUMBER,
      body: 'hola',
    });
    expect(first.status).toBe(200);
    expect(first.body.conversation.autocreated).toBe(true);
    const sid = first.body.conversation.conversationSid as string;
    const participants = await conversations().conversations(sid).participants.list();
    expect(participants.map((p): unknown => p.messagingBinding)).toEqual([
      { type: 'whatsapp', address: `whatsapp:${user}`, proxy_address: `whatsapp:${OWNED_NUMBER}` },
    ]);
    // An SMS from the same user is another channel: no sms Address Configuration, so not this conversation.
    const sms = await control<Routing>(env.sandbox, 'POST', '/phone/sms', { from: user, to: OWNED_NUMBER, body: 'sms' });
    expect(sms.status).toBe(409);
    // The window the message opened lets an agent's free-form reply through.
    await conversations().conversations(sid).messages.create({ author: 'agent', body: '¿En qué puedo ayudar?' });
    await env.sandbox.settled();
    const replies = await env.client.messages.list({ to: `whatsapp:${user}` });
    expect(replies.map((m) => [m.body, m.status])).toEqual([['¿En qué puedo ayudar?', 'read']]);
  });
});
