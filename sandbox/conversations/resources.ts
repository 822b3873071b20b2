import { iso8601 } from '../dates';
import type {
  AccountConfiguration,
  AccountWebhooks,
  AddressConfigRecord,
  ConversationMessageRecord,
  ConversationRecord,
  ParticipantRecord,
  ReceiptRecord,
  ScopedWebhookRecord,
  ServiceRecord,
  ServiceWebhooks,
} from './store';

export const CONVERSATIONS_BASE_URL = 'https://conversations.twilio.com/v1';

/**
 * Where a resource was asked for: under `/v1/Services/{sid}` (`scoped`, the spec's service_*
 * schemas carry `chat_service_sid`) or through the default-service shortcut `/v1/Conversations…`
 * (https://www.twilio.com/docs/conversations/api/conversation-message-resource, "Using the shortened base URL").
 */
export interface Scope {
  accountSid: string;
  serviceSid: string;
  scoped: boolean;
}

function conversationsRoot(scope: Scope): string {
  return scope.scoped ? `${CONVERSATIONS_BASE_URL}/Services/${scope.serviceSid}/Conversations` : `${CONVERSATIONS_BASE_URL}/Conversations`;
}

function conversationUrl(scope: Scope, sid: string): string {
  return `${conversationsRoot(scope)}/${sid}`;
}

/** `chat_service_sid` where the scoped schema has it. */
function serviceField(scope: Scope): Record<string, string> {
  return scope.scoped ? { chat_service_sid: scope.serviceSid } : {};
}

/** The opening fields of a conversation's child resource (participant, message, receipt), in Twilio's order. */
function inConversation(scope: Scope, conversationSid: string, sid: string): Record<string, string> {
  return { account_sid: scope.accountSid, ...serviceField(scope), conversation_sid: conversationSid, sid };
}

/** Parsed JSON attributes are stored as the string given; Twilio answers them as a string. */
export function serviceResource(accountSid: string, s: ServiceRecord): Record<string, unknown> {
  const url = `${CONVERSATIONS_BASE_URL}/Services/${s.sid}`;
  return {
    account_sid: accountSid,
    sid: s.sid,
    friendly_name: s.friendlyName,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateUpdated),
    url,
    links: {
      conversations: `${url}/Conversations`,
      users: `${url}/Users`,
      roles: `${url}/Roles`,
      bindings: `${url}/Bindings`,
      configuration: `${url}/Configuration`,
      participant_conversations: `${url}/ParticipantConversations`,
    },
  };
}

export function serviceWebhookResource(accountSid: string, serviceSid: string, w: ServiceWebhooks): Record<string, unknown> {
  return {
    account_sid: accountSid,
    chat_service_sid: serviceSid,
    pre_webhook_url: w.preWebhookUrl,
    post_webhook_url: w.postWebhookUrl,
    filters: w.filters,
    method: w.method,
    url: `${CONVERSATIONS_BASE_URL}/Services/${serviceSid}/Configuration/Webhooks`,
  };
}

/** The account-level webhook configuration (the spec's conversations.v1.configuration.configuration_webhook). */
export function accountWebhookResource(accountSid: string, w: AccountWebhooks): Record<string, unknown> {
  return {
    account_sid: accountSid,
    method: w.method,
    filters: w.filters,
    pre_webhook_url: w.preWebhookUrl,
    post_webhook_url: w.postWebhookUrl,
    target: w.target,
    url: `${CONVERSATIONS_BASE_URL}/Configuration/Webhooks`,
  };
}

export function configurationResource(accountSid: string, c: AccountConfiguration): Record<string, unknown> {
  const url = `${CONVERSATIONS_BASE_URL}/Configuration`;
  return {
    account_sid: accountSid,
    default_chat_service_sid: c.defaultChatServiceSid,
    default_messaging_service_sid: c.defaultMessagingServiceSid,
    default_inactive_timer: c.defaultInactiveTimer,
    default_closed_timer: c.defaultClosedTimer,
    url,
    links: { service: `${url}/Webhooks`, webhooks: `${url}/Webhooks` },
  };
}

export function conversationResource(scope: Scope, c: ConversationRecord): Record<string, unknown> {
  const url = conversationUrl(scope, c.sid);
  return {
    account_sid: scope.accountSid,
    chat_service_sid: c.serviceSid,
    messaging_service_sid: c.messagingServiceSid,
    sid: c.sid,
    friendly_name: c.friendlyName,
    unique_name: c.uniqueName,
    attributes: c.attributes,
    state: c.state,
    date_created: iso8601(c.dateCreated),
    date_updated: iso8601(c.dateUpdated),
    timers: {
      ...(c.timers.inactiveAt !== null ? { date_inactive: iso8601(c.timers.inactiveAt) } : {}),
      ...(c.timers.closedAt !== null ? { date_closed: iso8601(c.timers.closedAt) } : {}),
    },
    url,
    links: { participants: `${url}/Participants`, messages: `${url}/Messages`, webhooks: `${url}/Webhooks` },
    bindings: null,
  };
}

export function participantResource(scope: Scope, p: ParticipantRecord): Record<string, unknown> {
  return {
    ...inConversation(scope, p.conversationSid, p.sid),
    identity: p.identity,
    attributes: p.attributes,
    messaging_binding: p.binding ? { type: p.binding.type, address: p.binding.address, proxy_address: p.binding.proxyAddress } : null,
    role_sid: null,
    date_created: iso8601(p.dateCreated),
    date_updated: iso8601(p.dateUpdated),
    url: `${conversationUrl(scope, p.conversationSid)}/Participants/${p.sid}`,
    last_read_message_index: null,
    last_read_timestamp: null,
  };
}

type DeliveryShare = 'all' | 'some' | 'none';

/**
 * The message's `delivery` summary for non-chat participants
 * (https://www.twilio.com/docs/conversations/api/conversation-message-resource: `total`, then
 * `all` / `some` / `none` per status); `null` when it went to no messaging participant.
 */
function deliverySummary(m: ConversationMessageRecord): Record<string, unknown> | null {
  if (m.fannedOut === 0) return null;
  const share = (status: ReceiptRecord['status']): DeliveryShare => {
    const count = m.receipts.filter((r) => r.status === status).length;
    return count === 0 ? 'none' : count === m.fannedOut ? 'all' : 'some';
  };
  return {
    total: m.fannedOut,
    sent: share('sent'),
    delivered: share('delivered'),
    read: share('read'),
    failed: share('failed'),
    undelivered: share('undelivered'),
  };
}

export function messageResource(scope: Scope, m: ConversationMessageRecord): Record<string, unknown> {
  const url = `${conversationUrl(scope, m.conversationSid)}/Messages/${m.sid}`;
  return {
    ...inConversation(scope, m.conversationSid, m.sid),
    index: m.index,
    author: m.author,
    body: m.body,
    media: null,
    attributes: m.attributes,
    participant_sid: m.participantSid,
    date_created: iso8601(m.dateCreated),
    date_updated: iso8601(m.dateUpdated),
    url,
    delivery: deliverySummary(m),
    links: { delivery_receipts: `${url}/Receipts`, channel_metadata: `${url}/ChannelMetadata` },
    content_sid: m.content?.contentSid ?? null,
  };
}

export function receiptResource(scope: Scope, m: ConversationMessageRecord, r: ReceiptRecord): Record<string, unknown> {
  return {
    ...inConversation(scope, m.conversationSid, r.sid),
    message_sid: m.sid,
    channel_message_sid: r.channelMessageSid,
    participant_sid: r.participantSid,
    status: r.status,
    // The spec's error_code: an integer, "default: 0", never null.
    error_code: r.errorCode ?? 0,
    date_created: iso8601(r.dateCreated),
    date_updated: iso8601(r.dateUpdated),
    url: `${conversationUrl(scope, m.conversationSid)}/Messages/${m.sid}/Receipts/${r.sid}`,
  };
}

export function scopedWebhookResource(scope: Scope, w: ScopedWebhookRecord): Record<string, unknown> {
  return {
    sid: w.sid,
    account_sid: scope.accountSid,
    ...serviceField(scope),
    conversation_sid: w.conversationSid,
    target: w.target,
    url: `${conversationUrl(scope, w.conversationSid)}/Webhooks/${w.sid}`,
    configuration: {
      url: w.url,
      method: w.method,
      filters: w.filters,
      ...(w.triggers.length > 0 ? { triggers: w.triggers } : {}),
      ...(w.flowSid ? { flow_sid: w.flowSid } : {}),
    },
    date_created: iso8601(w.dateCreated),
    date_updated: iso8601(w.dateUpdated),
  };
}

export function addressConfigResource(accountSid: string, a: AddressConfigRecord): Record<string, unknown> {
  const auto = a.autoCreation;
  return {
    sid: a.sid,
    account_sid: accountSid,
    type: a.type,
    address: a.address,
    friendly_name: a.friendlyName,
    auto_creation: {
      enabled: auto.enabled,
      type: auto.type,
      conversation_service_sid: auto.conversationServiceSid,
      webhook_url: auto.webhookUrl,
      webhook_method: auto.webhookMethod.toUpperCase(),
      webhook_filters: auto.webhookFilters,
      studio_flow_sid: auto.studioFlowSid,
      studio_retry_count: auto.studioRetryCount,
    },
    date_created: iso8601(a.dateCreated),
    date_updated: iso8601(a.dateUpdated),
    url: `${CONVERSATIONS_BASE_URL}/Configuration/Addresses/${a.sid}`,
    address_country: null,
  };
}
