import { createHmac } from 'node:crypto';
import { conversationAddresses, defaultConversationsService, provisionConversations } from '../../../local/conversations';
import { runDoctor } from '../../../local/doctor';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { LEASE_MS, idempotencyItemKey, idempotencyTag, requestFingerprint } from '../../../src/lib/runtime/idempotency';
import { IDEMPOTENCY_MAP, type IdempotencyRecord } from '../../../src/lib/stores/idempotency';
import { SyncMapStore } from '../../../src/lib/stores/sync-map-store';
import { callApi, postSignedForm, toResult, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_ACCOUNT_SID, TEST_API_TOKEN, TEST_AUTH_TOKEN, functionsEnv } from '../../support/stack';
import { eventually } from '../../support/wait';

/** The tag /conversations/reply gives a message under `key` (as the product computes it for this stack's account). */
const tagOf = (key: string): string | undefined =>
  idempotencyTag({
    header: (name) => (name === 'idempotency-key' ? key : name === 'authorization' ? `Bearer ${TEST_API_TOKEN}` : undefined),
    settings: { authToken: TEST_AUTH_TOKEN, apiKey: API_KEY, apiSecret: API_SECRET },
  });

/** The second sandbox number, the one Conversations owns (CONVERSATIONS_NUMBER). */
const CONVERSATIONS_NUMBER = '+15005550010';
/** The account's WhatsApp sender (WHATSAPP_FROM), a third number: WhatsApp threads use it, not CONVERSATIONS_NUMBER. */
const WHATSAPP_FROM = '+15005550011';
const API_KEY = `SK${'c3'.repeat(16)}`;
const API_SECRET = 'the-conversations-test-key-secret'.padEnd(32, 'z');
/** Fictional customers (555-01xx in a real area code), one per scenario. */
const CUSTOMER = '+13125550101';
const SECOND = '+13125550102';
const WHATSAPP_USER = '+13125550103';
const CHAT_CUSTOMER = '+13125550104';
const TEMPLATE_USER = '+13125550105';
const WORDS_USER = '+13125550106';
const STOP_USER = '+13125550107';
const KEYED_USER = '+13125550108';
const DEAD_USER = '+13125550109';
const WHATSAPP_STOP_USER = '+13125550110';
const WA_STARTED_USER = '+13125550111';

describe('Conversations: one thread per customer, through the outbound gate', () => {
  let own: OwnStack;
  let serviceSid = '';
  const api = (route: string, body?: unknown, headers?: { token?: string | null }) =>
    callApi(`${own.functions.url}${route}`, { method: body === undefined ? 'GET' : 'POST', body, ...headers });
  /** The sandbox phone texts a number (signed webhooks, or a conversation when the number autocreates). */
  const text = async (from: string, to: string, body: string) => {
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to, body, mediaUrls: [] }),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as { conversation?: { conversationSid: string } };
  };
  /** The channel messages the sandbox sent to `to`. */
  const sentTo = async (to: string) => (await own.client.messages.list({ to })).map((m) => ({ body: m.body, from: m.from }));

  beforeAll(async () => {
    own = await startOwnStack(
      async (sandbox) => {
        const { createTwilioClient } = await import('../../../src/lib/twilio/client');
        serviceSid = await defaultConversationsService(
          createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, sandboxUrl: sandbox.url }),
        );
        return { CONVERSATIONS_SERVICE_SID: serviceSid, CONVERSATIONS_NUMBER, WHATSAPP_FROM, API_KEY, API_SECRET };
      },
      {
        phoneNumbers: ['+15005550006', CONVERSATIONS_NUMBER, WHATSAPP_FROM],
        apiKeys: [{ sid: API_KEY, secret: API_SECRET }],
        contentTemplates: [{ friendlyName: 'order_update', body: 'Your order {{1}} ships {{2}}' }],
      },
    );
    await provisionConversations(
      own.client,
      { CONVERSATIONS_SERVICE_SID: serviceSid, CONVERSATIONS_NUMBER, WHATSAPP_FROM },
      own.functions.url,
    );
  });
  afterAll(() => own.close());

  it('provisions autocreation and the webhooks idempotently', async () => {
    const again = await provisionConversations(
      own.client,
      { CONVERSATIONS_SERVICE_SID: serviceSid, CONVERSATIONS_NUMBER, WHATSAPP_FROM },
      own.functions.url,
    );
    expect(again.slice(0, 2)).toEqual([
      `Conversations: sms ${CONVERSATIONS_NUMBER} autocreates conversations in ${serviceSid} (already)`,
      `Conversations: whatsapp whatsapp:${WHATSAPP_FROM} autocreates conversations in ${serviceSid} (already)`,
    ]);
    const configs = await own.client.conversations.v1.addressConfigurations.list({ type: 'sms' });
    expect(configs.filter((c) => c.address === CONVERSATIONS_NUMBER)).toHaveLength(1);
    // The doctor checks the same two addresses /conversations/start binds to.
    const findings = await runDoctor({
      env: { ...functionsEnv(own.sandbox), CONVERSATIONS_SERVICE_SID: serviceSid, CONVERSATIONS_NUMBER, WHATSAPP_FROM },
      client: own.client,
      baseUrl: own.functions.url,
    });
    expect(findings.filter((f) => f.check.endsWith(' autocreation')).map((f) => [f.level, f.check])).toEqual([
      ['ok', `${CONVERSATIONS_NUMBER} autocreation`],
      ['ok', `whatsapp:${WHATSAPP_FROM} autocreation`],
    ]);
    const hooks = await own.client.conversations.v1.services(serviceSid).configuration.webhooks().fetch();
    expect(hooks).toMatchObject({
      preWebhookUrl: `${own.functions.url}/conversations/events`,
      postWebhookUrl: `${own.functions.url}/conversations/events`,
      filters: ['onMessageAdd', 'onDeliveryUpdated'],
    });
  });

  it('autocreates on each channel’s one proxy address: CONVERSATIONS_NUMBER for SMS, WHATSAPP_FROM (when set) for WhatsApp', () => {
    expect(conversationAddresses({ CONVERSATIONS_NUMBER, WHATSAPP_FROM: ` whatsapp:${WHATSAPP_FROM}` })).toEqual([
      { type: 'sms', address: CONVERSATIONS_NUMBER },
      { type: 'whatsapp', address: `whatsapp:${WHATSAPP_FROM}` },
    ]);
    expect(conversationAddresses({ CONVERSATIONS_NUMBER })).toEqual([{ type: 'sms', address: CONVERSATIONS_NUMBER }]);
    expect(conversationAddresses({ WHATSAPP_FROM })).toEqual([]);
  });

  it('a text opens a thread, an agent reply reaches the phone, and after STOP the next reply is 409 and nothing is sent', async () => {
    const routed = await text(CUSTOMER, CONVERSATIONS_NUMBER, 'Hi, where is my order?');
    const conversationSid = routed.conversation?.conversationSid ?? '';
    expect(conversationSid).toMatch(/^CH/);
    const participants = await own.client.conversations.v1.services(serviceSid).conversations(conversationSid).participants.list();
    expect(participants.map((p) => (p.messagingBinding as { address: string }).address)).toEqual([CUSTOMER]);

    const inbox = await api('/conversations/inbox');
    expect(inbox.status).toBe(200);
    const thread = (inbox.json as { conversations: Array<Record<string, unknown>> }).conversations.find(
      (c) => c.conversationSid === conversationSid,
    );
    expect(thread).toMatchObject({
      lastMessage: { author: CUSTOMER, body: 'Hi, where is my order?' },
      participants: [{ channel: 'sms', number: CUSTOMER, consent: { optedOut: false } }],
    });

    const reply = await api('/conversations/reply', { conversationSid, author: 'ada', body: 'It ships today.' });
    expect(reply).toMatchObject({ status: 200, json: { recipients: [{ channel: 'sms', to: CUSTOMER }], path: 'session' } });
    await eventually(
      () => sentTo(CUSTOMER),
      (sent) => sent.some((m) => m.body === 'It ships today.' && m.from === CONVERSATIONS_NUMBER),
    );
    // Delivery receipts (onDeliveryUpdated) feed the same records as /sms/status.
    await eventually(
      async () => (await api(`/sms/stats`)).json as { lastHour?: { delivered?: number } },
      (stats) => (stats.lastHour?.delivered ?? 0) >= 1,
    );

    await text(CUSTOMER, CONVERSATIONS_NUMBER, 'STOP');
    const inboxAfter = await api('/conversations/inbox');
    const after = (inboxAfter.json as { conversations: Array<{ conversationSid: string; participants: unknown[] }> }).conversations.find(
      (c) => c.conversationSid === conversationSid,
    );
    expect(after?.participants).toMatchObject([{ consent: { optedOut: true, source: 'keyword' } }]);
    const before = (await sentTo(CUSTOMER)).length;
    const refused = await api('/conversations/reply', { conversationSid, author: 'ada', body: 'Anything else?' });
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'opted_out' } } });
    const messages = await own.client.conversations.v1.services(serviceSid).conversations(conversationSid).messages.list();
    expect(messages.map((m) => m.body)).not.toContain('Anything else?');
    expect(await sentTo(CUSTOMER)).toHaveLength(before);

    // A chat (SDK) message to that thread is refused at onMessageAdd: a non-2xx answer.
    const chat = await postSignedForm(`${own.functions.url}/conversations/events`, {
      AccountSid: TEST_ACCOUNT_SID,
      ChatServiceSid: serviceSid,
      EventType: 'onMessageAdd',
      Source: 'SDK',
      ConversationSid: conversationSid,
      Author: 'ada',
      ClientIdentity: 'ada',
      Body: 'From the browser',
    });
    expect(chat).toMatchObject({ status: 409, json: { error: { code: 'opted_out' } } });
  });

  it('an opt-out in words inside a thread gets the one confirmation, from the number they texted; STOP is left to Twilio’s answer', async () => {
    const routed = await text(WORDS_USER, CONVERSATIONS_NUMBER, 'Hello there');
    const conversationSid = routed.conversation?.conversationSid ?? '';
    await text(WORDS_USER, CONVERSATIONS_NUMBER, 'please stop texting me');
    await own.sandbox.settled();
    const confirmations = await sentTo(WORDS_USER);
    // OPT_OUT_MESSAGE's default.
    const confirmation = 'You are unsubscribed and will receive no more messages. Reply START to resubscribe.';
    expect(confirmations).toEqual([{ body: confirmation, from: CONVERSATIONS_NUMBER }]);
    // Said again: already opted out, so no second confirmation; both messages are in the thread.
    await text(WORDS_USER, CONVERSATIONS_NUMBER, 'stop texting me please');
    await own.sandbox.settled();
    expect(await sentTo(WORDS_USER)).toEqual(confirmations);
    const thread = await own.client.conversations.v1.services(serviceSid).conversations(conversationSid).messages.list();
    expect(thread.map((m) => m.body)).toEqual(['Hello there', 'please stop texting me', 'stop texting me please']);
    const inbox = (await api('/conversations/inbox')).json as {
      conversations: Array<{ conversationSid: string; participants: unknown[] }>;
    };
    expect(inbox.conversations.find((c) => c.conversationSid === conversationSid)?.participants).toMatchObject([
      { consent: { optedOut: true, source: 'words' } },
    ]);

    // STOP on SMS: Twilio's keyword handling answers it (OPT_OUT_REPLIES=twilio), so this service sends nothing.
    await text(STOP_USER, CONVERSATIONS_NUMBER, 'Hi');
    const stop = (await text(STOP_USER, CONVERSATIONS_NUMBER, 'STOP')) as { optOut?: { confirmation: string | null } };
    expect(stop.optOut?.confirmation).toEqual(expect.any(String));
    await own.sandbox.settled();
    expect(await sentTo(STOP_USER)).toEqual([]);
  });

  // Twilio's keyword handling is for SMS, not WhatsApp: the consent store stops WhatsApp, and our one confirmation reaches the phone.
  it('a WhatsApp STOP in a thread: recorded in the consent store, one confirmation reaches the phone, the next reply is 409 and nothing is sent', async () => {
    const conversation = await own.client.conversations.v1.services(serviceSid).conversations.create({ friendlyName: 'wa stop' });
    await own.client.conversations.v1
      .services(serviceSid)
      .conversations(conversation.sid)
      .participants.create({
        'messagingBinding.address': `whatsapp:${WHATSAPP_STOP_USER}`,
        'messagingBinding.proxyAddress': `whatsapp:${CONVERSATIONS_NUMBER}`,
      });
    const whatsApp = async (body: string) => {
      const response = await fetch(`${own.sandbox.url}/_sandbox/phone/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: WHATSAPP_STOP_USER, to: CONVERSATIONS_NUMBER, body }),
      });
      expect(response.status).toBeLessThan(300);
      return (await response.json()) as { conversation?: { conversationSid: string }; optOut?: unknown };
    };
    const stop = await whatsApp('STOP');
    expect(stop.conversation?.conversationSid).toBe(conversation.sid);
    expect(stop.optOut).toBeUndefined();
    const inbox = (await api('/conversations/inbox')).json as {
      conversations: Array<{ conversationSid: string; participants: unknown[] }>;
    };
    expect(inbox.conversations.find((c) => c.conversationSid === conversation.sid)?.participants).toMatchObject([
      { consent: { optedOut: true, source: 'keyword' } },
    ]);
    await own.sandbox.settled();
    const received = async () =>
      (await own.client.messages.list({ to: `whatsapp:${WHATSAPP_STOP_USER}` })).map((m) => [m.body, m.from, m.status, m.errorCode]);
    // OPT_OUT_MESSAGE's default, from the WhatsApp sender they wrote to, delivered (not refused with 21610).
    const confirmation = 'You are unsubscribed and will receive no more messages. Reply START to resubscribe.';
    expect(await received()).toEqual([[confirmation, `whatsapp:${CONVERSATIONS_NUMBER}`, 'read', null]]);

    const refused = await api('/conversations/reply', { conversationSid: conversation.sid, author: 'ada', body: 'Anything else?' });
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'opted_out' } } });
    await own.sandbox.settled();
    expect(await received()).toHaveLength(1);
  });

  it('a second start for the same address pair reuses the open thread', async () => {
    const first = await api('/conversations/start', { to: SECOND, channel: 'sms', body: 'Your appointment is at 3pm.', author: 'ada' });
    expect(first).toMatchObject({ status: 201, json: { reused: false } });
    const second = await api('/conversations/start', { to: SECOND, channel: 'sms', body: 'See you soon.', author: 'ada' });
    const sid = (first.json as { conversationSid: string }).conversationSid;
    expect(second).toMatchObject({ status: 200, json: { reused: true, conversationSid: sid } });
    const open = await own.client.conversations.v1.services(serviceSid).conversations.list();
    expect(open.filter((c) => c.friendlyName === `sms ${SECOND}`)).toHaveLength(1);
    await eventually(
      () => sentTo(SECOND),
      (sent) => sent.length === 2,
    );

    expect(await api('/conversations/close', { conversationSid: sid })).toMatchObject({ status: 200, json: { state: 'closed' } });
    const inbox = (await api('/conversations/inbox')).json as { conversations: Array<{ conversationSid: string }> };
    expect(inbox.conversations.map((c) => c.conversationSid)).not.toContain(sid);
  });

  it('a WhatsApp participant outside the 24-hour window needs a template: 409 template_required, and nothing is sent', async () => {
    const conversation = await own.client.conversations.v1.services(serviceSid).conversations.create({ friendlyName: 'wa' });
    await own.client.conversations.v1
      .services(serviceSid)
      .conversations(conversation.sid)
      .participants.create({
        'messagingBinding.address': `whatsapp:${WHATSAPP_USER}`,
        'messagingBinding.proxyAddress': `whatsapp:${WHATSAPP_FROM}`,
      });
    const refused = await api('/conversations/reply', { conversationSid: conversation.sid, author: 'ada', body: 'Hello again' });
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'template_required' } } });
    expect(await sentTo(`whatsapp:${WHATSAPP_USER}`)).toEqual([]);

    // Once the user writes (a pre-action onMessageAdd from WhatsApp), the window is open and free-form goes.
    const inbound = await postSignedForm(`${own.functions.url}/conversations/events`, {
      AccountSid: TEST_ACCOUNT_SID,
      ChatServiceSid: serviceSid,
      EventType: 'onMessageAdd',
      Source: 'WHATSAPP',
      ConversationSid: conversation.sid,
      Author: `whatsapp:${WHATSAPP_USER}`,
      Body: 'hello',
    });
    expect(inbound.status).toBe(200);
    const reply = await api('/conversations/reply', { conversationSid: conversation.sid, author: 'ada', body: 'Hello again' });
    expect(reply).toMatchObject({ status: 200, json: { path: 'session', recipients: [{ channel: 'whatsapp', to: WHATSAPP_USER }] } });
  });

  it('outside the WhatsApp window a template reply (contentSid + contentVariables) reaches the phone; a body is 409 and nothing is sent', async () => {
    const thread = own.client.conversations.v1.services(serviceSid).conversations;
    const conversation = await thread.create({ friendlyName: 'wa template' });
    await thread(conversation.sid).participants.create({
      'messagingBinding.address': `whatsapp:${TEMPLATE_USER}`,
      'messagingBinding.proxyAddress': `whatsapp:${WHATSAPP_FROM}`,
    });
    const refused = await api('/conversations/reply', { conversationSid: conversation.sid, author: 'ada', body: 'Your order shipped' });
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'template_required' } } });
    expect(await thread(conversation.sid).messages.list()).toEqual([]);

    const contentSid = own.sandbox.contentSids.order_update;
    const reply = await api('/conversations/reply', {
      conversationSid: conversation.sid,
      author: 'ada',
      contentSid,
      contentVariables: { 1: 'A-17', 2: 'today' },
    });
    expect(reply).toMatchObject({ status: 200, json: { path: 'template', recipients: [{ channel: 'whatsapp', to: TEMPLATE_USER }] } });
    const [message] = await thread(conversation.sid).messages.list();
    expect([message.contentSid, message.author]).toEqual([contentSid, 'ada']);
    // The phone gets the rendered template, past the window (a free-form message would fail with 63016).
    await eventually(
      async () => own.client.messages.list({ to: `whatsapp:${TEMPLATE_USER}` }),
      (sent) => sent.length === 1 && sent[0].status === 'read',
    );
    const [sent] = await own.client.messages.list({ to: `whatsapp:${TEMPLATE_USER}` });
    expect([sent.body, sent.from, sent.errorCode]).toEqual(['Your order A-17 ships today', `whatsapp:${WHATSAPP_FROM}`, null]);
  });

  it('a WhatsApp thread an agent starts (template) gets the customer’s reply from the phone: one thread with both messages', async () => {
    const contentSid = own.sandbox.contentSids.order_update;
    const started = await api('/conversations/start', {
      to: WA_STARTED_USER,
      channel: 'whatsapp',
      contentSid,
      contentVariables: { 1: 'B-42', 2: 'tomorrow' },
      author: 'ada',
    });
    expect(started).toMatchObject({ status: 201, json: { reused: false, channel: 'whatsapp', to: WA_STARTED_USER } });
    const conversationSid = (started.json as { conversationSid: string }).conversationSid;

    // The customer replies on WhatsApp to the business's WhatsApp number (WHATSAPP_FROM).
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: `whatsapp:${WA_STARTED_USER}`, to: `whatsapp:${WHATSAPP_FROM}`, body: 'Can it come today instead?' }),
    });
    expect(response.status).toBe(200);
    await own.sandbox.settled();

    // The inbox shows one thread for them, the one started, holding the template and the reply.
    const inbox = (await api('/conversations/inbox?limit=50')).json as {
      conversations: Array<{
        conversationSid: string;
        lastMessage: { body: string | null } | null;
        participants: Array<{ number?: string }>;
      }>;
    };
    const theirs = inbox.conversations.filter((c) => c.participants.some((p) => p.number === WA_STARTED_USER));
    expect(theirs.map((c) => [c.conversationSid, c.lastMessage?.body])).toEqual([[conversationSid, 'Can it come today instead?']]);
    const messages = await own.client.conversations.v1.services(serviceSid).conversations(conversationSid).messages.list();
    expect(messages.map((m) => [m.author, m.contentSid, m.body])).toEqual([
      ['ada', contentSid, null],
      [`whatsapp:${WA_STARTED_USER}`, null, 'Can it come today instead?'],
    ]);
    // The template reached the phone from that same WhatsApp sender.
    const [sent] = await own.client.messages.list({ to: `whatsapp:${WA_STARTED_USER}` });
    expect([sent.from, sent.body]).toEqual([`whatsapp:${WHATSAPP_FROM}`, 'Your order B-42 ships tomorrow']);
  });

  describe('a reply whose outcome was lost (Idempotency-Key)', () => {
    const reply = async (body: Record<string, unknown>, key: string) =>
      toResult(
        await fetch(`${own.functions.url}/conversations/reply`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
        }),
      );
    const openThread = async (user: string) =>
      (await text(user, CONVERSATIONS_NUMBER, 'Is it in stock?')).conversation?.conversationSid ?? '';
    const threadBodies = async (sid: string) =>
      (await own.client.conversations.v1.services(serviceSid).conversations(sid).messages.list()).map((m) => m.body);

    it('Twilio created it, then the answer was lost: found by its tag, answered as reconciled, never sent twice', async () => {
      const conversationSid = await openThread(KEYED_USER);
      const body = { conversationSid, author: 'ada', body: 'Yes, two left.' };
      const key = 'lost-reply-key-0001';
      // Twilio carries the create out, then answers 500: the Function never learns the message exists.
      await fetch(`${own.sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          method: 'POST',
          pathPattern: `/Conversations/${conversationSid}/Messages$`,
          status: 500,
          times: 1,
          carriedOut: true,
        }),
      });
      const first = await reply(body, key);
      expect(first).toMatchObject({
        status: 200,
        json: { conversationSid, messageSid: expect.stringMatching(/^IM/) as unknown, reconciled: true },
      });
      const again = await reply(body, key);
      expect([again.status, again.json, again.headers.get('idempotent-replayed')]).toEqual([200, first.json, 'true']);
      expect(await threadBodies(conversationSid)).toEqual(['Is it in stock?', 'Yes, two left.']);
      const [, sent] = await own.client.conversations.v1.services(serviceSid).conversations(conversationSid).messages.list();
      expect(JSON.parse(sent.attributes)).toEqual({ idempotencyKey: tagOf(key) });
      // An HMAC under the account's derived key: nothing in it a reader could test a guessed token against.
      expect(sent.attributes).not.toContain(idempotencyItemKey(TEST_API_TOKEN, key).split(':')[0]);
      await own.sandbox.settled();
      expect((await sentTo(KEYED_USER)).filter((m) => m.body === 'Yes, two left.')).toHaveLength(1);
    });

    it('after a dead attempt’s lease, the reply it tagged is found in the thread; with none there, the retry sends once', async () => {
      const conversationSid = await openThread(DEAD_USER);
      const claims = new SyncMapStore<IdempotencyRecord>(own.client, {
        service: 'default',
        ...IDEMPOTENCY_MAP,
        deadline: Deadline.in(9_000),
      });
      /** The claim a Function killed mid-request leaves, its lease over. */
      const plantDeadClaim = async (key: string, params: Record<string, unknown>) => {
        const claimedAt = Date.now() - LEASE_MS - 5_000;
        const record: IdempotencyRecord = {
          fingerprint: requestFingerprint('/conversations/reply', params),
          state: 'in_flight',
          attempt: 'dead-attempt',
          claimedAt,
          leaseUntil: claimedAt + LEASE_MS,
        };
        expect(await claims.createIfAbsent(idempotencyItemKey(TEST_API_TOKEN, key), record)).toBe(true);
      };
      const found = { conversationSid, author: 'ada', body: 'Back in stock Friday.' };
      await plantDeadClaim('dead-reply-key-0001', found);
      const thread = own.client.conversations.v1.services(serviceSid).conversations(conversationSid);
      const tagged = await thread.messages.create({
        author: 'ada',
        body: found.body,
        attributes: JSON.stringify({ idempotencyKey: tagOf('dead-reply-key-0001') }),
      });
      const reconciled = await reply(found, 'dead-reply-key-0001');
      expect(reconciled).toMatchObject({ status: 200, json: { messageSid: tagged.sid, index: tagged.index, reconciled: true } });
      expect(await threadBodies(conversationSid)).toEqual(['Is it in stock?', 'Back in stock Friday.']);

      const lost = { conversationSid, author: 'ada', body: 'We will call you.' };
      await plantDeadClaim('dead-reply-key-0002', lost);
      const sent = await reply(lost, 'dead-reply-key-0002');
      expect(sent).toMatchObject({ status: 200, json: { path: 'session', messageSid: expect.stringMatching(/^IM/) as unknown } });
      expect((await reply(lost, 'dead-reply-key-0002')).headers.get('idempotent-replayed')).toBe('true');
      expect(await threadBodies(conversationSid)).toEqual(['Is it in stock?', 'Back in stock Friday.', 'We will call you.']);
    });
  });

  it('refuses an unsigned event as the other protected webhooks do', async () => {
    const unsigned: HttpResult = await postSignedForm(
      `${own.functions.url}/conversations/events`,
      { EventType: 'onMessageAdd', Source: 'SMS', ConversationSid: `CH${'0'.repeat(32)}`, Author: CUSTOMER, Body: 'STOP' },
      { signature: null },
    );
    expect([401, 403]).toContain(unsigned.status);
    const forged = await postSignedForm(
      `${own.functions.url}/conversations/events`,
      { EventType: 'onMessageAdd', Source: 'SMS', ConversationSid: `CH${'0'.repeat(32)}`, Author: CUSTOMER, Body: 'STOP' },
      { authToken: 'f'.repeat(32) },
    );
    expect([401, 403]).toContain(forged.status);
  });

  it('a chat participant with a /token identity writes to the thread and the SMS participant gets it', async () => {
    const minted = await api('/token', { identity: 'agent_grace' });
    expect(minted).toMatchObject({ status: 200, json: { grants: ['chat'] } });
    const payload = (minted.json as { token: string }).token.split('.')[1];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      grants: { identity: string; chat?: { service_sid: string } };
    };
    expect(claims.grants).toMatchObject({ identity: 'agent_grace', chat: { service_sid: serviceSid } });
    const signature = createHmac('sha256', API_SECRET)
      .update((minted.json as { token: string }).token.split('.').slice(0, 2).join('.'))
      .digest('base64url');
    expect((minted.json as { token: string }).token.split('.')[2]).toBe(signature);

    const routed = await text(CHAT_CUSTOMER, CONVERSATIONS_NUMBER, 'Can someone help?');
    const conversationSid = routed.conversation?.conversationSid ?? '';
    const thread = own.client.conversations.v1.services(serviceSid).conversations(conversationSid);
    await thread.participants.create({ identity: claims.grants.identity });
    // The chat SDK's own actions cannot be played by the sandbox: the agent's message goes as REST with its identity as author.
    await thread.messages.create({ author: 'agent_grace', body: 'Grace here, how can I help?' });
    await eventually(
      () => sentTo(CHAT_CUSTOMER),
      (sent) => sent.some((m) => m.body === 'Grace here, how can I help?' && m.from === CONVERSATIONS_NUMBER),
    );
  });
});
