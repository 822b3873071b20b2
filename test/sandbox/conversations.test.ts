import twilio from 'twilio';
import {
  AUTH_TOKEN,
  control,
  CUSTOMER,
  OWNED_NUMBER,
  restError,
  startReceiver,
  startTestSandbox,
  type Receiver,
  type TestSandbox,
} from './helpers';

/** The Conversations host through the real twilio-node client (client.conversations.v1…), over HTTP. */
describe('sandbox Conversations API', () => {
  let env: TestSandbox;
  let hooks: Receiver;
  const conversations = () => env.client.conversations.v1;

  beforeAll(async () => {
    env = await startTestSandbox({ contentTemplates: [{ friendlyName: 'reminder', body: 'See you at {{1}}' }] });
    hooks = await startReceiver();
  });
  afterAll(async () => {
    await env.sandbox.close();
    await hooks.close();
  });

  it('creates, fetches, lists with paging meta and deletes Services; an unknown one is 404 20404', async () => {
    const a = await conversations().services.create({ friendlyName: 'support' });
    expect(a.sid).toMatch(/^IS[0-9a-f]{32}$/);
    await conversations().services.create({ friendlyName: 'sales' });
    const page = await conversations().services.page({ pageSize: 1 });
    expect(page.instances).toHaveLength(1);
    expect(page.nextPageUrl).toContain('PageToken=PA');
    expect((await conversations().services(a.sid).fetch()).friendlyName).toBe('support');
    await conversations().services(a.sid).remove();
    const missing = await restError(conversations().services(a.sid).fetch());
    expect([missing.status, missing.code]).toEqual([404, 20404]);
  });

  it('serves the default service through the /v1/Conversations shortcut and under /v1/Services/{sid}', async () => {
    const configuration = await conversations().configuration().fetch();
    const created = await conversations().conversations.create({ friendlyName: 'thread', attributes: '{"a":1}' });
    expect([created.chatServiceSid, created.state]).toEqual([configuration.defaultChatServiceSid, 'active']);
    const scoped = await conversations().services(configuration.defaultChatServiceSid).conversations(created.sid).fetch();
    expect(scoped.friendlyName).toBe('thread');
    const updated = await conversations().conversations(created.sid).update({ friendlyName: 'renamed' });
    expect(updated.friendlyName).toBe('renamed');
    await conversations().conversations(created.sid).remove();
    expect((await restError(conversations().conversations(created.sid).fetch())).code).toBe(20404);
  });

  it('pages a conversation’s messages oldest first, and newest first with Order=desc, across pages by their tokens', async () => {
    const c = await conversations().conversations.create({});
    const messages = conversations().conversations(c.sid).messages;
    for (const body of ['m0', 'm1', 'm2', 'm3', 'm4']) await messages.create({ body });
    interface Paged {
      instances: Array<{ body: string | null }>;
      nextPageUrl?: string;
      nextPage(): Promise<Paged> | undefined;
    }
    const walk = async (order: 'asc' | 'desc'): Promise<Array<Array<string | null>>> => {
      const pages: Array<Array<string | null>> = [];
      let page: Paged | undefined = await messages.page({ order, pageSize: 2 });
      while (page && pages.length < 5) {
        pages.push(page.instances.map((m) => m.body));
        page = page.nextPageUrl ? await page.nextPage() : undefined;
      }
      return pages;
    };
    expect(await walk('asc')).toEqual([['m0', 'm1'], ['m2', 'm3'], ['m4']]);
    expect(await walk('desc')).toEqual([['m4', 'm3'], ['m2', 'm1'], ['m0']]);
    const second = await messages.page({ order: 'desc', pageSize: 2 }).then((p) => p.nextPage());
    expect(second?.nextPageUrl).toContain('Order=desc');
    expect((await second?.previousPage())?.instances.map((m) => m.body)).toEqual(['m4', 'm3']);
  });

  it('binds a messaging participant once per address pair: a second open conversation gets 409 50416', async () => {
    const first = await conversations().conversations.create({});
    const participant = await conversations()
      .conversations(first.sid)
      .participants.create({ 'messagingBinding.address': '+12025550150', 'messagingBinding.proxyAddress': OWNED_NUMBER });
    expect(participant.messagingBinding).toEqual({ type: 'sms', address: '+12025550150', proxy_address: OWNED_NUMBER });
    const second = await conversations().conversations.create({});
    const taken = await restError(
      conversations()
        .conversations(second.sid)
        .participants.create({ 'messagingBinding.address': '+12025550150', 'messagingBinding.proxyAddress': OWNED_NUMBER }),
    );
    expect([taken.status, taken.code, taken.message]).toEqual([
      409,
      50416,
      `A binding for this participant and proxy address already exists in Conversation ${first.sid}`,
    ]);
    // Closing the first conversation frees the pair.
    await conversations().conversations(first.sid).update({ state: 'closed' });
    await expect(
      conversations()
        .conversations(second.sid)
        .participants.create({ 'messagingBinding.address': '+12025550150', 'messagingBinding.proxyAddress': OWNED_NUMBER }),
    ).resolves.toBeDefined();
  });

  it('checks bindings: proxy not of the account 50408, empty proxy 50412, channel mismatch 50414; chat identity once (50433)', async () => {
    const c = await conversations().conversations.create({});
    const participants = conversations().conversations(c.sid).participants;
    const notOurs = await restError(
      participants.create({ 'messagingBinding.address': CUSTOMER, 'messagingBinding.proxyAddress': '+14155550199' }),
    );
    expect([notOurs.status, notOurs.code]).toEqual([400, 50408]);
    expect((await restError(participants.create({ 'messagingBinding.address': CUSTOMER }))).code).toBe(50412);
    const mismatch = await restError(
      participants.create({ 'messagingBinding.address': `whatsapp:${CUSTOMER}`, 'messagingBinding.proxyAddress': OWNED_NUMBER }),
    );
    expect(mismatch.code).toBe(50414);
    const agent = await participants.create({ identity: 'agent@example.com' });
    expect([agent.identity, agent.messagingBinding]).toEqual(['agent@example.com', null]);
    expect((await restError(participants.create({ identity: 'agent@example.com' }))).code).toBe(50433);
  });

  it('fans a message out to the SMS participant as a channel Message, with delivery receipts', async () => {
    const c = await conversations().conversations.create({});
    const sms = await conversations()
      .conversations(c.sid)
      .participants.create({ 'messagingBinding.address': '+12025550151', 'messagingBinding.proxyAddress': OWNED_NUMBER });
    await conversations().conversations(c.sid).participants.create({ identity: 'agent' });
    const message = await conversations().conversations(c.sid).messages.create({ author: 'agent', body: 'Hello from support' });
    await env.sandbox.settled();
    const sent = await env.client.messages.list({ to: '+12025550151' });
    expect(sent.map((m) => [m.from, m.body, m.status])).toEqual([[OWNED_NUMBER, 'Hello from support', 'delivered']]);
    const fetched = await conversations().conversations(c.sid).messages(message.sid).fetch();
    expect(fetched.delivery).toEqual({ total: 1, sent: 'none', delivered: 'all', read: 'none', failed: 'none', undelivered: 'none' });
    const receipts = await conversations().conversations(c.sid).messages(message.sid).deliveryReceipts.list();
    expect(receipts.map((r) => [r.participantSid, r.channelMessageSid, r.status])).toEqual([[sms.sid, sent[0].sid, 'delivered']]);
  });

  it('applies the messaging rules to the fan-out: 21610 after STOP, 63016 outside the WhatsApp window', async () => {
    const user = '+12025550152';
    await control(env.sandbox, 'POST', '/phone/sms', { from: user, to: OWNED_NUMBER, body: 'STOP' });
    const c = await conversations().conversations.create({});
    await conversations()
      .conversations(c.sid)
      .participants.create({ 'messagingBinding.address': user, 'messagingBinding.proxyAddress': OWNED_NUMBER });
    await conversations()
      .conversations(c.sid)
      .participants.create({ 'messagingBinding.address': `whatsapp:${user}`, 'messagingBinding.proxyAddress': `whatsapp:${OWNED_NUMBER}` });
    const message = await conversations().conversations(c.sid).messages.create({ author: 'agent', body: 'Are you there?' });
    await env.sandbox.settled();
    const receipts = await conversations().conversations(c.sid).messages(message.sid).deliveryReceipts.list();
    expect(receipts.map((r) => [r.status, r.errorCode]).sort()).toEqual([
      ['failed', 21610],
      ['failed', 63016],
    ]);
    expect((await conversations().conversations(c.sid).messages(message.sid).fetch()).delivery).toMatchObject({ total: 2, failed: 'all' });
  });

  it('sends a ContentSid message as the template: past the WhatsApp window, rendered with ContentVariables; Body is then ignored', async () => {
    const user = '+12025550154';
    const c = await conversations().conversations.create({});
    await conversations()
      .conversations(c.sid)
      .participants.create({ 'messagingBinding.address': `whatsapp:${user}`, 'messagingBinding.proxyAddress': `whatsapp:${OWNED_NUMBER}` });
    const contentSid = env.sandbox.contentSids.reminder;
    const message = await conversations()
      .conversations(c.sid)
      .messages.create({ author: 'agent', body: 'ignored', contentSid, contentVariables: JSON.stringify({ 1: '3pm' }) });
    expect([message.contentSid, message.body]).toEqual([contentSid, null]);
    await env.sandbox.settled();
    const sent = await env.client.messages.list({ to: `whatsapp:${user}` });
    expect(sent.map((m) => [m.from, m.body, m.status, m.errorCode])).toEqual([
      [`whatsapp:${OWNED_NUMBER}`, 'See you at 3pm', 'read', null],
    ]);
    const receipts = await conversations().conversations(c.sid).messages(message.sid).deliveryReceipts.list();
    expect(receipts.map((r) => [r.channelMessageSid, r.status])).toEqual([[sent[0].sid, 'read']]);
    // The console's thread shows what the recipient got.
    const threads = await control<{ conversations: Array<{ sid: string; messages: unknown[] }> }>(env.sandbox, 'GET', '/conversations');
    expect(threads.body.conversations.find((t) => t.sid === c.sid)?.messages).toMatchObject([
      { body: null, contentSid, rendered: 'See you at 3pm' },
    ]);
    // As the Messages API: variables without a template are 21654, an unknown template 21655.
    const orphan = await restError(conversations().conversations(c.sid).messages.create({ body: 'x', contentVariables: '{"1":"a"}' }));
    expect([orphan.status, orphan.code]).toEqual([400, 21654]);
    const unknown = await restError(
      conversations()
        .conversations(c.sid)
        .messages.create({ contentSid: `HX${'0'.repeat(32)}` }),
    );
    expect([unknown.status, unknown.code]).toEqual([400, 21655]);
  });

  it('moves a conversation active → inactive → closed by its timers on the sandbox clock; a closed one refuses messages (50377)', async () => {
    const c = await conversations().conversations.create({ 'timers.inactive': 'PT1M', 'timers.closed': 'PT10M' });
    expect(c.timers).toHaveProperty('date_inactive');
    env.sandbox.clock.advance(61_000);
    expect((await conversations().conversations(c.sid).fetch()).state).toBe('inactive');
    env.sandbox.clock.advance(10 * 60_000);
    expect((await conversations().conversations(c.sid).fetch()).state).toBe('closed');
    const refused = await restError(conversations().conversations(c.sid).messages.create({ body: 'late' }));
    expect([refused.status, refused.code]).toEqual([400, 50377]);
    const tooShort = await restError(conversations().conversations.create({ 'timers.inactive': 'PT30S' }));
    expect(tooShort.code).toBe(50379);
  });

  it('REST actions without X-Twilio-Webhook-Enabled report nothing; their messages’ delivery receipts and state timers still do', async () => {
    const { defaultChatServiceSid } = await conversations().configuration().fetch();
    const filters = ['onConversationAdded', 'onParticipantAdded', 'onMessageAdded', 'onDeliveryUpdated', 'onConversationStateUpdated'];
    await conversations()
      .services(defaultChatServiceSid)
      .configuration.webhooks()
      .update({ postWebhookUrl: `${hooks.url}/quiet`, filters });
    try {
      hooks.requests.length = 0;
      const c = await conversations().conversations.create({ 'timers.inactive': 'PT1M' });
      const sms = await conversations()
        .conversations(c.sid)
        .participants.create({ 'messagingBinding.address': '+12025550155', 'messagingBinding.proxyAddress': OWNED_NUMBER });
      const message = await conversations().conversations(c.sid).messages.create({ author: 'agent', body: 'quietly' });
      await env.sandbox.settled();
      env.sandbox.clock.advance(61_000);
      await env.sandbox.settled();
      const events = hooks.requests.filter((r) => r.url.endsWith('/quiet')).map((r) => r.params);
      expect(events.map((e) => [e.EventType, e.Status ?? e.StateTo])).toEqual([
        ['onDeliveryUpdated', 'sent'],
        ['onDeliveryUpdated', 'delivered'],
        ['onConversationStateUpdated', 'inactive'],
      ]);
      expect(events[1]).toMatchObject({ MessageSid: message.sid, ParticipantSid: sms.sid, ConversationSid: c.sid });
    } finally {
      await conversations().services(defaultChatServiceSid).configuration.webhooks().update({ postWebhookUrl: '', filters: [] });
    }
  });

  it('reports post-action events, signed, to the service webhook and to conversation-scoped webhooks; REST fires no pre-action hook', async () => {
    const { defaultChatServiceSid } = await conversations().configuration().fetch();
    await conversations()
      .services(defaultChatServiceSid)
      .configuration.webhooks()
      .update({ preWebhookUrl: `${hooks.url}/pre`, postWebhookUrl: `${hooks.url}/post`, filters: ['onMessageAdd', 'onMessageAdded'] });
    const c = await conversations().conversations.create({});
    await conversations()
      .conversations(c.sid)
      .webhooks.create({ target: 'webhook', 'configuration.url': `${hooks.url}/scoped`, 'configuration.filters': ['onMessageAdded'] });
    hooks.requests.length = 0;
    // Asked for with X-Twilio-Webhook-Enabled (twilio-node's xTwilioWebhookEnabled): post-action webhooks only.
    const message = await conversations()
      .conversations(c.sid)
      .messages.create({ author: 'agent', body: 'logged', xTwilioWebhookEnabled: 'true' });
    await env.sandbox.settled();
    const paths = hooks.requests.map((r) => new URL(r.url).pathname).sort();
    expect(paths).toEqual(['/post', '/scoped']);
    for (const r of hooks.requests) {
      expect([r.params.EventType, r.params.MessageSid, r.params.Body, r.params.Source]).toEqual([
        'onMessageAdded',
        message.sid,
        'logged',
        'API',
      ]);
      expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), r.url, r.params)).toBe(true);
    }
    await conversations().services(defaultChatServiceSid).configuration.webhooks().update({ preWebhookUrl: '', postWebhookUrl: '' });
  });

  it('autocreates a conversation from an inbound SMS to an Address Configuration, then routes the pair to it', async () => {
    const user = '+12025550153';
    const before = await control(env.sandbox, 'POST', '/phone/sms', { from: user, to: OWNED_NUMBER, body: 'no config yet' });
    expect(before.status).toBe(409); // no Address Configuration: the number's SmsUrl is needed (none here)
    const config = await conversations().addressConfigurations.create({
      type: 'sms',
      address: OWNED_NUMBER,
      'autoCreation.enabled': true,
      'autoCreation.type': 'webhook',
      'autoCreation.webhookUrl': `${hooks.url}/auto`,
      'autoCreation.webhookFilters': ['onMessageAdded'],
    });
    expect(config.autoCreation).toMatchObject({ enabled: true, type: 'webhook', webhook_url: `${hooks.url}/auto` });
    hooks.requests.length = 0;
    const first = await control<{ conversation: { conversationSid: string; autocreated: boolean } }>(env.sandbox, 'POST', '/phone/sms', {
      from: user,
      to: OWNED_NUMBER,
      body: 'Hi, I need help',
    });
    expect(first.body.conversation.autocreated).toBe(true);
    const sid = first.body.conversation.conversationSid;
    const participants = await conversations().conversations(sid).participants.list();
    expect(participants.map((p): unknown => p.messagingBinding)).toEqual([{ type: 'sms', address: user, proxy_address: OWNED_NUMBER }]);
    const second = await control<{ conversation: { conversationSid: string; autocreated: boolean } }>(env.sandbox, 'POST', '/phone/sms', {
      from: user,
      to: OWNED_NUMBER,
      body: 'still there?',
    });
    expect([second.body.conversation.conversationSid, second.body.conversation.autocreated]).toEqual([sid, false]);
    const messages = await conversations().conversations(sid).messages.list();
    expect(messages.map((m) => [m.author, m.body, m.index])).toEqual([
      [user, 'Hi, I need help', 0],
      [user, 'still there?', 1],
    ]);
    await env.sandbox.settled();
    expect(hooks.requests.filter((r) => r.url.endsWith('/auto')).map((r) => [r.params.EventType, r.params.Source])).toEqual([
      ['onMessageAdded', 'SMS'],
      ['onMessageAdded', 'SMS'],
    ]);
    // The sender's own message is not sent back to them; an agent's reply is.
    await conversations().conversations(sid).messages.create({ author: 'agent', body: 'How can I help?' });
    await env.sandbox.settled();
    expect((await env.client.messages.list({ to: user, from: OWNED_NUMBER })).map((m) => m.body)).toEqual(['How can I help?']);
    await conversations().addressConfigurations(config.sid).remove();
  });
});
