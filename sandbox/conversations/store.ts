import type { MessageContent } from '../api/message-content';
import type { Clock } from '../clock';
import { newSid } from '../sids';

/** A conversation's states (https://www.twilio.com/docs/conversations/states-timers); `initializing` is ConversationWithParticipants' only. */
export type ConversationState = 'active' | 'inactive' | 'closed';

/** Webhook method values of the spec's configuration webhook (`GET` / `POST`). */
export type HookMethod = 'GET' | 'POST';

/** Pre- and post-action webhook targets of a Conversation Service (Per-Service Webhook resource). */
export interface ServiceWebhooks {
  preWebhookUrl: string | null;
  postWebhookUrl: string | null;
  filters: string[];
  method: HookMethod;
}

export interface ServiceRecord {
  readonly seq: number;
  readonly sid: string;
  friendlyName: string;
  webhooks: ServiceWebhooks;
  readonly dateCreated: number;
  dateUpdated: number;
}

/** `Timers.Inactive` / `Timers.Closed` as durations (ms), and when each fires (sandbox clock), `null` when unset. */
export interface ConversationTimers {
  inactiveMs: number | null;
  closedMs: number | null;
  inactiveAt: number | null;
  closedAt: number | null;
}

export interface ConversationRecord {
  readonly seq: number;
  readonly sid: string;
  readonly serviceSid: string;
  messagingServiceSid: string | null;
  friendlyName: string | null;
  uniqueName: string | null;
  attributes: string;
  state: ConversationState;
  timers: ConversationTimers;
  readonly dateCreated: number;
  dateUpdated: number;
  /** The next message index (Twilio: "Indices may skip numbers, but will always be in order"). */
  nextIndex: number;
}

/** A messaging participant's binding: the user's `address` and the account's `proxyAddress`, one channel. */
export interface MessagingBinding {
  type: 'sms' | 'whatsapp';
  address: string;
  proxyAddress: string;
}

export interface ParticipantRecord {
  readonly seq: number;
  readonly sid: string;
  readonly conversationSid: string;
  readonly identity: string | null;
  readonly binding: MessagingBinding | null;
  attributes: string;
  readonly dateCreated: number;
  dateUpdated: number;
}

/** A message's delivery to one messaging participant: the channel Message (`SM…`) and its status. */
export interface ReceiptRecord {
  readonly sid: string;
  readonly messageSid: string;
  readonly channelMessageSid: string;
  readonly participantSid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered';
  errorCode: number | null;
  readonly dateCreated: number;
  dateUpdated: number;
}

export interface ConversationMessageRecord {
  readonly seq: number;
  readonly sid: string;
  readonly conversationSid: string;
  readonly index: number;
  author: string;
  body: string | null;
  attributes: string;
  /** The Content template it was sent as (`ContentSid`, rendered with its ContentVariables), `null` for a body. */
  readonly content: MessageContent | null;
  readonly participantSid: string | null;
  /** How many messaging participants it was sent to (the `delivery.total`). */
  readonly fannedOut: number;
  readonly receipts: ReceiptRecord[];
  readonly dateCreated: number;
  dateUpdated: number;
}

/** A conversation-scoped webhook (post-action only: Conversation Scoped Webhook resource). */
export interface ScopedWebhookRecord {
  readonly seq: number;
  readonly sid: string;
  readonly conversationSid: string;
  readonly target: 'webhook' | 'trigger' | 'studio';
  url: string | null;
  method: HookMethod;
  filters: string[];
  triggers: string[];
  flowSid: string | null;
  readonly dateCreated: number;
  dateUpdated: number;
}

interface AutoCreation {
  enabled: boolean;
  type: 'webhook' | 'studio' | 'default';
  conversationServiceSid: string | null;
  webhookUrl: string | null;
  webhookMethod: 'get' | 'post';
  webhookFilters: string[];
  studioFlowSid: string | null;
  studioRetryCount: number | null;
}

export interface AddressConfigRecord {
  readonly seq: number;
  readonly sid: string;
  readonly type: 'sms' | 'whatsapp';
  /** The number as configured (E.164; WhatsApp addresses without their `whatsapp:` prefix too). */
  readonly address: string;
  friendlyName: string | null;
  autoCreation: AutoCreation;
  readonly dateCreated: number;
  dateUpdated: number;
}

/** Account-level Conversations configuration (`/v1/Configuration`). */
export interface AccountConfiguration {
  defaultChatServiceSid: string;
  defaultMessagingServiceSid: string;
  /** `DefaultInactiveTimer` / `DefaultClosedTimer` (ISO 8601 as given), `null` when unset. */
  defaultInactiveTimer: string | null;
  defaultClosedTimer: string | null;
  /** The global (account-level) webhook target (`/v1/Configuration/Webhooks`). */
  webhooks: AccountWebhooks;
}

/**
 * The account-level webhook configuration: Method, Filters, PreWebhookUrl, PostWebhookUrl and
 * Target, `webhook` or `flex` (the spec's configuration_webhook_enum_target: "Can be ordinary or
 * route internally to Flex"; https://www.twilio.com/docs/conversations/api/webhook-configuration-resource).
 */
export interface AccountWebhooks extends ServiceWebhooks {
  target: 'webhook' | 'flex';
}

/** What the sandbox names its default Conversation Service (the sandbox's choice). */
const DEFAULT_SERVICE_NAME = 'Default Conversations Service';

/**
 * Everything of the account's Conversations, in memory. Lists are oldest first (by `seq`): each
 * record is set in its Map once, when made, right after its `seq` is drawn, and Maps keep
 * insertion order, so the REST lists page them without sorting.
 */
export class ConversationStore {
  private seq = 0;
  readonly services = new Map<string, ServiceRecord>();
  readonly conversations = new Map<string, ConversationRecord>();
  readonly participants = new Map<string, ParticipantRecord>();
  readonly messages = new Map<string, ConversationMessageRecord>();
  readonly webhooks = new Map<string, ScopedWebhookRecord>();
  readonly addresses = new Map<string, AddressConfigRecord>();
  readonly configuration: AccountConfiguration;

  constructor(
    private readonly clock: Clock,
    defaultMessagingServiceSid: string,
  ) {
    const service = this.addService(DEFAULT_SERVICE_NAME);
    this.configuration = {
      defaultChatServiceSid: service.sid,
      defaultMessagingServiceSid,
      defaultInactiveTimer: null,
      defaultClosedTimer: null,
      webhooks: { preWebhookUrl: null, postWebhookUrl: null, filters: [], method: 'POST', target: 'webhook' },
    };
  }

  now(): number {
    return this.clock.now();
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  addService(friendlyName: string): ServiceRecord {
    const now = this.now();
    const service: ServiceRecord = {
      seq: this.nextSeq(),
      sid: newSid('IS'),
      friendlyName,
      webhooks: { preWebhookUrl: null, postWebhookUrl: null, filters: [], method: 'POST' },
      dateCreated: now,
      dateUpdated: now,
    };
    this.services.set(service.sid, service);
    return service;
  }

  /** A conversation-scoped webhook, stored: its SID, order and dates made here. */
  addWebhook(fields: Omit<ScopedWebhookRecord, 'seq' | 'sid' | 'dateCreated' | 'dateUpdated'>): ScopedWebhookRecord {
    const now = this.now();
    const webhook: ScopedWebhookRecord = { seq: this.nextSeq(), sid: newSid('WH'), ...fields, dateCreated: now, dateUpdated: now };
    this.webhooks.set(webhook.sid, webhook);
    return webhook;
  }

  /** Removes a Service with everything in it. */
  removeService(service: ServiceRecord): void {
    for (const conversation of this.conversationsOf(service.sid)) this.removeConversation(conversation);
    this.services.delete(service.sid);
  }

  conversationsOf(serviceSid: string): ConversationRecord[] {
    return [...this.conversations.values()].filter((c) => c.serviceSid === serviceSid);
  }

  participantsOf(conversationSid: string): ParticipantRecord[] {
    return [...this.participants.values()].filter((p) => p.conversationSid === conversationSid);
  }

  messagesOf(conversationSid: string): ConversationMessageRecord[] {
    return [...this.messages.values()].filter((m) => m.conversationSid === conversationSid);
  }

  webhooksOf(conversationSid: string): ScopedWebhookRecord[] {
    return [...this.webhooks.values()].filter((w) => w.conversationSid === conversationSid);
  }

  /** Removes a conversation with its participants, messages and webhooks. */
  removeConversation(conversation: ConversationRecord): void {
    for (const p of this.participantsOf(conversation.sid)) this.participants.delete(p.sid);
    for (const m of this.messagesOf(conversation.sid)) this.messages.delete(m.sid);
    for (const w of this.webhooksOf(conversation.sid)) this.webhooks.delete(w.sid);
    this.conversations.delete(conversation.sid);
  }

  /**
   * The participant bound to `address` through `proxyAddress` in a conversation that is not
   * closed (https://www.twilio.com/docs/api/errors/50416: one mapping per pair "in order to route
   * inbound messages correctly"; 80102: "bound to another non-closed conversation").
   */
  openParticipantForPair(address: string, proxyAddress: string): ParticipantRecord | undefined {
    for (const p of this.participants.values()) {
      if (p.binding?.address !== address || p.binding.proxyAddress !== proxyAddress) continue;
      if (this.conversations.get(p.conversationSid)?.state !== 'closed') return p;
    }
    return undefined;
  }

  /** The Address Configuration of `address` (`+E164`, with or without `whatsapp:`) on that channel. */
  addressConfigFor(type: 'sms' | 'whatsapp', address: string): AddressConfigRecord | undefined {
    const bare = address.replace(/^whatsapp:/, '');
    return [...this.addresses.values()].find((a) => a.type === type && a.address.replace(/^whatsapp:/, '') === bare);
  }
}
