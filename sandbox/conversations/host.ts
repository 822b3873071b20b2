import { readMessageContent } from '../api/message-content';
import type { LifecycleDeps } from '../api/message-lifecycle';
import type { MessageStore } from '../api/messages';
import type { ContentRecord } from '../content/templates';
import { badRequest, requiredParam, resourceNotFound } from '../http/errors';
import { boolParam, methodParam } from '../http/form';
import { listEnvelopeV1, readPageRequest, sliceInListOrder, slicePage } from '../http/paging';
import { json, noContent, Router, type ApiRequest, type ApiResponse, type TwilioHost } from '../http/router';
import { isAbsoluteHttpUrl } from '../http/urls';
import { newSid } from '../sids';
import type { TaskTracker } from '../tasks';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import { ConversationActions } from './actions';
import { restOrigin } from './hooks';
import { ReceiptTracking } from './fan-out';
import {
  accountWebhookResource,
  addressConfigResource,
  configurationResource,
  CONVERSATIONS_BASE_URL,
  conversationResource,
  messageResource,
  participantResource,
  receiptResource,
  scopedWebhookResource,
  serviceResource,
  serviceWebhookResource,
  type Scope,
} from './resources';
import { LIMITS, readAttributes, readBinding, readState, readTimers } from './rules';
import type { AddressConfigRecord, ConversationRecord, ConversationStore, HookMethod, ScopedWebhookRecord, ServiceWebhooks } from './store';

export interface ConversationsHostDeps {
  accountSid: string;
  store: ConversationStore;
  messages: MessageStore;
  lifecycle: LifecycleDeps;
  dispatcher: WebhookDispatcher;
  tasks: TaskTracker;
  tracking: ReceiptTracking;
  ownsNumber: (e164: string) => boolean;
  hasMessagingService: (sid: string) => boolean;
  /** The Content template with this SID, for a message's `ContentSid`. */
  findContent: (sid: string) => ContentRecord | undefined;
  log: (line: string) => void;
}

/** Conversations v1's maximum PageSize (the spec's PageSize: "maximum: 1000"). */
const MAX_PAGE_SIZE = 1000;
/** "Each individual Conversation can have as many as five such webhooks" (https://www.twilio.com/docs/conversations-classic/api/conversation-scoped-webhook-resource.md). */
const MAX_SCOPED_WEBHOOKS = 5;

/**
 * One page of a list, in the v1 envelope under `key`. `items` come in the store's order, oldest
 * first by `seq` (ConversationStore keeps each Map in creation order), so a list is neither
 * copied nor sorted here; `desc` (Messages' `Order=desc`) walks it newest first.
 */
function listPage<T extends { seq: number }>(
  req: ApiRequest,
  key: string,
  url: string,
  items: readonly T[],
  render: (item: T) => Record<string, unknown>,
  { filters = [], order = 'asc' }: { filters?: Array<[string, string]>; order?: 'asc' | 'desc' } = {},
): ApiResponse {
  const page = readPageRequest(req.query, MAX_PAGE_SIZE);
  const ordered = order === 'asc' ? items : [...items].reverse();
  const slice = slicePage(
    ordered,
    page,
    (x) => String(x.seq),
    (x, cursor) => (order === 'asc' ? x.seq - Number(cursor) : Number(cursor) - x.seq),
  );
  return json(200, listEnvelopeV1(key, url, filters, page, slice, slice.items.map(render)));
}

const hookMethod = (form: URLSearchParams, name: string, fallback: HookMethod): HookMethod => methodParam(form, name, 20001) ?? fallback;

function urlParam(form: URLSearchParams, name: string): string | null | undefined {
  const raw = form.get(name);
  if (raw === null) return undefined;
  if (raw === '') return null;
  if (!isAbsoluteHttpUrl(raw)) throw badRequest(20001, `Invalid ${name}: ${raw} is not an absolute http(s) URL`);
  return raw;
}

/**
 * conversations.twilio.com: Services, their Conversations, Participants, Messages (with delivery
 * Receipts) and conversation-scoped Webhooks, each also under the default-service shortcut
 * `/v1/Conversations…`; the Service webhook configuration; the account Configuration and its
 * Address Configurations.
 */
export function conversationsHost(deps: ConversationsHostDeps): { host: TwilioHost; actions: ConversationActions } {
  const { accountSid, store } = deps;
  const actions = new ConversationActions({ ...deps }, deps.tracking);
  deps.tracking.attach(deps);
  const router = new Router();

  const scopeOf = (req: ApiRequest): Scope => {
    const serviceSid = req.params.ChatServiceSid ?? store.configuration.defaultChatServiceSid;
    if (!store.services.has(serviceSid)) throw resourceNotFound(req.path);
    return { accountSid, serviceSid, scoped: req.params.ChatServiceSid !== undefined };
  };
  const conversationOf = (req: ApiRequest, scope: Scope): ConversationRecord => {
    const key = req.params.ConversationSid;
    const conversation =
      store.conversations.get(key) ?? store.conversationsOf(scope.serviceSid).find((c) => c.uniqueName !== null && c.uniqueName === key);
    if (!conversation || conversation.serviceSid !== scope.serviceSid) throw resourceNotFound(req.path);
    return conversation;
  };
  const listUrl = (req: ApiRequest): string => `${CONVERSATIONS_BASE_URL}${req.path.replace(/^\/v1/, '')}`;

  /** Registers a route under the Service and under the default-service shortcut. */
  const both = (
    method: 'GET' | 'POST' | 'DELETE',
    suffix: string,
    handler: (req: ApiRequest, scope: Scope) => ApiResponse | Promise<ApiResponse>,
  ): void => {
    router.add(method, `/v1/Services/:ChatServiceSid${suffix}`, (req) => handler(req, scopeOf(req)));
    router.add(method, `/v1${suffix}`, (req) => handler(req, scopeOf(req)));
  };

  // Services.
  router
    .post('/v1/Services', (req) => {
      return json(201, serviceResource(accountSid, store.addService(requiredParam(req.form, 'FriendlyName'))));
    })
    .get('/v1/Services', (req) =>
      listPage(req, 'services', `${CONVERSATIONS_BASE_URL}/Services`, [...store.services.values()], (s) => serviceResource(accountSid, s)),
    )
    .get('/v1/Services/:ChatServiceSid', (req) => json(200, serviceResource(accountSid, serviceRecord(req))))
    .delete('/v1/Services/:ChatServiceSid', (req) => {
      store.removeService(serviceRecord(req));
      return noContent;
    });
  const serviceRecord = (req: ApiRequest) => {
    const service = store.services.get(req.params.ChatServiceSid);
    if (!service) throw resourceNotFound(req.path);
    return service;
  };
  /** A service's or the account's webhook target, as a Webhooks update's form sets it (what it leaves out stays). */
  const applyWebhookForm = (form: URLSearchParams, webhooks: ServiceWebhooks): void => {
    const pre = urlParam(form, 'PreWebhookUrl');
    const post = urlParam(form, 'PostWebhookUrl');
    if (pre !== undefined) webhooks.preWebhookUrl = pre;
    if (post !== undefined) webhooks.postWebhookUrl = post;
    if (form.has('Filters')) webhooks.filters = form.getAll('Filters').filter((f) => f !== '');
    webhooks.method = hookMethod(form, 'Method', webhooks.method);
  };
  const serviceWebhooks = (req: ApiRequest): ApiResponse => {
    const service = serviceRecord(req);
    if (req.method === 'POST') {
      applyWebhookForm(req.form, service.webhooks);
      service.dateUpdated = store.now();
    }
    return json(200, serviceWebhookResource(accountSid, service.sid, service.webhooks));
  };
  router.get('/v1/Services/:ChatServiceSid/Configuration/Webhooks', serviceWebhooks);
  router.post('/v1/Services/:ChatServiceSid/Configuration/Webhooks', serviceWebhooks);

  // Account Configuration.
  const configuration = (req: ApiRequest): ApiResponse => {
    const c = store.configuration;
    if (req.method === 'POST') {
      const chat = req.form.get('DefaultChatServiceSid');
      if (chat) {
        if (!store.services.has(chat)) throw resourceNotFound(`/v1/Services/${chat}`);
        c.defaultChatServiceSid = chat;
      }
      const messaging = req.form.get('DefaultMessagingServiceSid');
      if (messaging) {
        if (!deps.hasMessagingService(messaging)) throw badRequest(21701, `The Messaging Service ${messaging} does not exist`);
        c.defaultMessagingServiceSid = messaging;
      }
      const timers = readTimers(
        new URLSearchParams({
          'Timers.Inactive': req.form.get('DefaultInactiveTimer') ?? '',
          'Timers.Closed': req.form.get('DefaultClosedTimer') ?? '',
        }),
      );
      if (timers.inactiveMs !== undefined) c.defaultInactiveTimer = req.form.get('DefaultInactiveTimer');
      if (timers.closedMs !== undefined) c.defaultClosedTimer = req.form.get('DefaultClosedTimer');
    }
    return json(200, configurationResource(accountSid, c));
  };
  router.get('/v1/Configuration', configuration).post('/v1/Configuration', configuration);
  // The global (account-level) webhook target: pre- and post-action, for every service (hooks.ts).
  const accountWebhooks = (req: ApiRequest): ApiResponse => {
    const w = store.configuration.webhooks;
    if (req.method === 'POST') {
      const target = req.form.get('Target');
      if (target !== null && target !== 'webhook' && target !== 'flex') throw badRequest(20001, `Invalid Target: ${target}`);
      applyWebhookForm(req.form, w);
      if (target) w.target = target;
    }
    return json(200, accountWebhookResource(accountSid, w));
  };
  router.get('/v1/Configuration/Webhooks', accountWebhooks).post('/v1/Configuration/Webhooks', accountWebhooks);

  // Conversations.
  both('POST', '/Conversations', async (req, scope) => {
    const friendlyName = req.form.get('FriendlyName');
    if (friendlyName && friendlyName.length > LIMITS.friendlyName) throw badRequest(20001, 'FriendlyName is longer than 256 characters');
    const messagingServiceSid = req.form.get('MessagingServiceSid') || null;
    if (messagingServiceSid && !deps.hasMessagingService(messagingServiceSid)) {
      throw badRequest(21701, `The Messaging Service ${messagingServiceSid} does not exist`);
    }
    const timers = readTimers(req.form);
    const defaults = readTimers(
      new URLSearchParams({
        'Timers.Inactive': store.configuration.defaultInactiveTimer ?? '',
        'Timers.Closed': store.configuration.defaultClosedTimer ?? '',
      }),
    );
    const conversation = await actions.createConversation(
      scope.serviceSid,
      {
        friendlyName,
        uniqueName: req.form.get('UniqueName') || null,
        attributes: readAttributes(req.form),
        messagingServiceSid,
        state: readState(req.form) ?? 'active',
        inactiveMs: timers.inactiveMs ?? defaults.inactiveMs ?? null,
        closedMs: timers.closedMs ?? defaults.closedMs ?? null,
      },
      restOrigin(req.headers),
    );
    return json(201, conversationResource(scope, conversation));
  });
  both('GET', '/Conversations', (req, scope) => {
    const state = req.query.get('State');
    const conversations = store.conversationsOf(scope.serviceSid).filter((c) => !state || c.state === state);
    return listPage(req, 'conversations', listUrl(req), conversations, (c) => conversationResource(scope, c), {
      filters: state ? [['State', state]] : [],
    });
  });
  both('GET', '/Conversations/:ConversationSid', (req, scope) => json(200, conversationResource(scope, conversationOf(req, scope))));
  both('POST', '/Conversations/:ConversationSid', async (req, scope) => {
    const conversation = conversationOf(req, scope);
    const timers = readTimers(req.form);
    const state = readState(req.form);
    await actions.updateConversation(
      conversation,
      {
        ...(req.form.has('FriendlyName') ? { friendlyName: req.form.get('FriendlyName') || null } : {}),
        ...(req.form.has('UniqueName') ? { uniqueName: req.form.get('UniqueName') || null } : {}),
        ...(req.form.has('Attributes') ? { attributes: readAttributes(req.form) } : {}),
        ...timers,
        ...(state ? { state } : {}),
      },
      restOrigin(req.headers),
    );
    return json(200, conversationResource(scope, conversation));
  });
  both('DELETE', '/Conversations/:ConversationSid', async (req, scope) => {
    await actions.removeConversation(conversationOf(req, scope), restOrigin(req.headers));
    return noContent;
  });

  // Participants.
  both('POST', '/Conversations/:ConversationSid/Participants', async (req, scope) => {
    const conversation = conversationOf(req, scope);
    const identity = req.form.get('Identity') || null;
    if (identity && identity.length > LIMITS.identity) throw badRequest(20001, 'Identity is longer than 256 characters');
    const binding = readBinding(req.form, deps.ownsNumber) ?? null;
    const participant = await actions.addParticipant(
      conversation,
      { identity, binding, attributes: readAttributes(req.form) },
      restOrigin(req.headers),
    );
    return json(201, participantResource(scope, participant));
  });
  both('GET', '/Conversations/:ConversationSid/Participants', (req, scope) => {
    const participants = store.participantsOf(conversationOf(req, scope).sid);
    return listPage(req, 'participants', listUrl(req), participants, (p) => participantResource(scope, p));
  });
  const participantOf = (req: ApiRequest, scope: Scope) => {
    const conversation = conversationOf(req, scope);
    const key = req.params.Sid;
    const participant = store.participantsOf(conversation.sid).find((p) => p.sid === key || (p.identity !== null && p.identity === key));
    if (!participant) throw resourceNotFound(req.path);
    return { conversation, participant };
  };
  both('GET', '/Conversations/:ConversationSid/Participants/:Sid', (req, scope) =>
    json(200, participantResource(scope, participantOf(req, scope).participant)),
  );
  both('POST', '/Conversations/:ConversationSid/Participants/:Sid', async (req, scope) => {
    const { conversation, participant } = participantOf(req, scope);
    await actions.updateParticipant(conversation, participant, readAttributes(req.form, participant.attributes), restOrigin(req.headers));
    return json(200, participantResource(scope, participant));
  });
  both('DELETE', '/Conversations/:ConversationSid/Participants/:Sid', async (req, scope) => {
    const { conversation, participant } = participantOf(req, scope);
    await actions.removeParticipant(conversation, participant, restOrigin(req.headers));
    return noContent;
  });

  // Messages.
  both('POST', '/Conversations/:ConversationSid/Messages', async (req, scope) => {
    const conversation = conversationOf(req, scope);
    // ContentSid: "if this field is set, `Body` and `MediaSid` parameters are ignored" (the spec's
    // Messages create); read and rendered as the Messages API reads it (21654, 21655, 21656).
    const content = readMessageContent(req.form, deps.findContent);
    const body = content ? null : requiredParam(req.form, 'Body');
    if (body !== null && body.length > LIMITS.messagingBody)
      throw badRequest(20001, `Body is longer than ${LIMITS.messagingBody} characters`);
    const author = req.form.get('Author') || 'system';
    // An author who is a participant (by identity or address) is that participant: their own copy is not sent back.
    const from = store.participantsOf(conversation.sid).find((p) => p.identity === author || p.binding?.address === author) ?? null;
    const message = await actions.addMessage(
      conversation,
      { author, body, attributes: readAttributes(req.form), content },
      restOrigin(req.headers),
      from,
    );
    return json(201, messageResource(scope, message));
  });
  both('GET', '/Conversations/:ConversationSid/Messages', (req, scope) => {
    const messages = store.messagesOf(conversationOf(req, scope).sid);
    const order = req.query.get('Order') === 'desc' ? 'desc' : 'asc';
    return listPage(req, 'messages', listUrl(req), messages, (m) => messageResource(scope, m), {
      filters: req.query.get('Order') ? [['Order', order]] : [],
      order,
    });
  });
  const messageOf = (req: ApiRequest, scope: Scope, param = 'Sid') => {
    const conversation = conversationOf(req, scope);
    const message = store.messages.get(req.params[param]);
    if (!message || message.conversationSid !== conversation.sid) throw resourceNotFound(req.path);
    return { conversation, message };
  };
  both('GET', '/Conversations/:ConversationSid/Messages/:Sid', (req, scope) =>
    json(200, messageResource(scope, messageOf(req, scope).message)),
  );
  both('POST', '/Conversations/:ConversationSid/Messages/:Sid', async (req, scope) => {
    const { conversation, message } = messageOf(req, scope);
    await actions.updateMessage(
      conversation,
      message,
      {
        ...(req.form.has('Body') ? { body: req.form.get('Body') } : {}),
        ...(req.form.get('Author') ? { author: req.form.get('Author') ?? message.author } : {}),
        ...(req.form.has('Attributes') ? { attributes: readAttributes(req.form) } : {}),
      },
      restOrigin(req.headers),
    );
    return json(200, messageResource(scope, message));
  });
  both('DELETE', '/Conversations/:ConversationSid/Messages/:Sid', async (req, scope) => {
    const { conversation, message } = messageOf(req, scope);
    await actions.removeMessage(conversation, message, restOrigin(req.headers));
    return noContent;
  });
  both('GET', '/Conversations/:ConversationSid/Messages/:MessageSid/Receipts', (req, scope) => {
    const { message } = messageOf(req, scope, 'MessageSid');
    const page = readPageRequest(req.query, MAX_PAGE_SIZE);
    const slice = sliceInListOrder(message.receipts, page, (r) => r.sid);
    return json(
      200,
      listEnvelopeV1(
        'delivery_receipts',
        listUrl(req),
        [],
        page,
        slice,
        slice.items.map((r) => receiptResource(scope, message, r)),
      ),
    );
  });
  both('GET', '/Conversations/:ConversationSid/Messages/:MessageSid/Receipts/:Sid', (req, scope) => {
    const { message } = messageOf(req, scope, 'MessageSid');
    const receipt = message.receipts.find((r) => r.sid === req.params.Sid);
    if (!receipt) throw resourceNotFound(req.path);
    return json(200, receiptResource(scope, message, receipt));
  });

  // Conversation-scoped webhooks.
  const webhookOf = (req: ApiRequest, scope: Scope): ScopedWebhookRecord => {
    const conversation = conversationOf(req, scope);
    const webhook = store.webhooks.get(req.params.Sid);
    if (!webhook || webhook.conversationSid !== conversation.sid) throw resourceNotFound(req.path);
    return webhook;
  };
  both('POST', '/Conversations/:ConversationSid/Webhooks', (req, scope) => {
    const conversation = conversationOf(req, scope);
    const target = req.form.get('Target');
    if (target !== 'webhook' && target !== 'trigger' && target !== 'studio') throw badRequest(20001, `Invalid Target: ${target ?? ''}`);
    if (store.webhooksOf(conversation.sid).length >= MAX_SCOPED_WEBHOOKS) {
      throw badRequest(20001, `A conversation can have at most ${MAX_SCOPED_WEBHOOKS} webhooks`);
    }
    const url = urlParam(req.form, 'Configuration.Url') ?? null;
    if (target !== 'studio' && !url) throw badRequest(20001, 'Missing required parameter Configuration.Url');
    const webhook = store.addWebhook({
      conversationSid: conversation.sid,
      target,
      url,
      method: hookMethod(req.form, 'Configuration.Method', 'POST'),
      filters: req.form.getAll('Configuration.Filters'),
      triggers: req.form.getAll('Configuration.Triggers'),
      flowSid: req.form.get('Configuration.FlowSid'),
    });
    return json(201, scopedWebhookResource(scope, webhook));
  });
  both('GET', '/Conversations/:ConversationSid/Webhooks', (req, scope) => {
    const webhooks = store.webhooksOf(conversationOf(req, scope).sid);
    return listPage(req, 'webhooks', listUrl(req), webhooks, (w) => scopedWebhookResource(scope, w));
  });
  both('GET', '/Conversations/:ConversationSid/Webhooks/:Sid', (req, scope) =>
    json(200, scopedWebhookResource(scope, webhookOf(req, scope))),
  );
  both('POST', '/Conversations/:ConversationSid/Webhooks/:Sid', (req, scope) => {
    const webhook = webhookOf(req, scope);
    const url = urlParam(req.form, 'Configuration.Url');
    if (url !== undefined) webhook.url = url;
    webhook.method = hookMethod(req.form, 'Configuration.Method', webhook.method);
    if (req.form.has('Configuration.Filters')) webhook.filters = req.form.getAll('Configuration.Filters');
    webhook.dateUpdated = store.now();
    return json(200, scopedWebhookResource(scope, webhook));
  });
  both('DELETE', '/Conversations/:ConversationSid/Webhooks/:Sid', (req, scope) => {
    store.webhooks.delete(webhookOf(req, scope).sid);
    return noContent;
  });

  // Address Configurations.
  const addressOf = (req: ApiRequest): AddressConfigRecord => {
    const key = req.params.Sid;
    const config = store.addresses.get(key) ?? [...store.addresses.values()].find((a) => a.address === key);
    if (!config) throw resourceNotFound(req.path);
    return config;
  };
  const readAutoCreation = (form: URLSearchParams, current: AddressConfigRecord['autoCreation']): AddressConfigRecord['autoCreation'] => {
    const type = form.get('AutoCreation.Type') ?? current.type;
    if (type !== 'webhook' && type !== 'studio' && type !== 'default') throw badRequest(20001, `Invalid AutoCreation.Type: ${type}`);
    const serviceSid = form.get('AutoCreation.ConversationServiceSid') ?? current.conversationServiceSid;
    if (serviceSid && !store.services.has(serviceSid)) throw resourceNotFound(`/v1/Services/${serviceSid}`);
    // Stored as the spec's lower-case address_configuration_enum_method (get, post).
    const asked = methodParam(form, 'AutoCreation.WebhookMethod', 20001);
    const method = asked === undefined ? current.webhookMethod : asked === 'GET' ? 'get' : 'post';
    const webhookUrl = urlParam(form, 'AutoCreation.WebhookUrl');
    return {
      enabled: boolParam(form, 'AutoCreation.Enabled') ?? current.enabled,
      type,
      conversationServiceSid: serviceSid,
      webhookUrl: webhookUrl === undefined ? current.webhookUrl : webhookUrl,
      webhookMethod: method,
      webhookFilters: form.has('AutoCreation.WebhookFilters') ? form.getAll('AutoCreation.WebhookFilters') : current.webhookFilters,
      studioFlowSid: form.get('AutoCreation.StudioFlowSid') ?? current.studioFlowSid,
      studioRetryCount: form.has('AutoCreation.StudioRetryCount')
        ? Number(form.get('AutoCreation.StudioRetryCount'))
        : current.studioRetryCount,
    };
  };
  router
    .post('/v1/Configuration/Addresses', (req) => {
      const type = req.form.get('Type');
      const address = req.form.get('Address')?.trim() ?? '';
      if (type !== 'sms' && type !== 'whatsapp')
        throw badRequest(20001, `Invalid Type: ${type ?? ''} (the sandbox configures sms and whatsapp addresses)`);
      if (!deps.ownsNumber(address.replace(/^whatsapp:/, '')))
        throw badRequest(20001, `Address ${address} is not a number of this account`);
      if (store.addressConfigFor(type, address)) throw badRequest(20001, `An Address Configuration for ${type} ${address} already exists`);
      const now = store.now();
      const config: AddressConfigRecord = {
        seq: store.nextSeq(),
        sid: newSid('IG'),
        type,
        address,
        friendlyName: req.form.get('FriendlyName'),
        autoCreation: readAutoCreation(req.form, {
          enabled: false,
          type: 'default',
          conversationServiceSid: null,
          webhookUrl: null,
          webhookMethod: 'post',
          webhookFilters: [],
          studioFlowSid: null,
          studioRetryCount: null,
        }),
        dateCreated: now,
        dateUpdated: now,
      };
      store.addresses.set(config.sid, config);
      return json(201, addressConfigResource(accountSid, config));
    })
    .get('/v1/Configuration/Addresses', (req) => {
      const type = req.query.get('Type');
      const addresses = [...store.addresses.values()].filter((a) => !type || a.type === type);
      const url = `${CONVERSATIONS_BASE_URL}/Configuration/Addresses`;
      return listPage(req, 'address_configurations', url, addresses, (a) => addressConfigResource(accountSid, a), {
        filters: type ? [['Type', type]] : [],
      });
    })
    .get('/v1/Configuration/Addresses/:Sid', (req) => json(200, addressConfigResource(accountSid, addressOf(req))))
    .post('/v1/Configuration/Addresses/:Sid', (req) => {
      const config = addressOf(req);
      if (req.form.has('FriendlyName')) config.friendlyName = req.form.get('FriendlyName');
      config.autoCreation = readAutoCreation(req.form, config.autoCreation);
      config.dateUpdated = store.now();
      return json(200, addressConfigResource(accountSid, config));
    })
    .delete('/v1/Configuration/Addresses/:Sid', (req) => {
      store.addresses.delete(addressOf(req).sid);
      return noContent;
    });

  return { host: { subdomain: 'conversations', router }, actions };
}
