import type { MessageContent } from '../api/message-content';
import { badRequest } from '../http/errors';
import { newSid } from '../sids';
import { fanOut, type FanOutDeps, type ReceiptTracking } from './fan-out';
import { BY_TWILIO, postAction, preAction, type Origin } from './hooks';
import { ACTIONS_PER_SECOND, actionsPerSecondExceeded, armTimers, conversationClosed, identityInUse, pairInUse } from './rules';
import type { ConversationMessageRecord, ConversationRecord, ConversationState, MessagingBinding, ParticipantRecord } from './store';

export interface NewConversation {
  friendlyName: string | null;
  uniqueName: string | null;
  attributes: string;
  messagingServiceSid: string | null;
  state: ConversationState;
  inactiveMs: number | null;
  closedMs: number | null;
}

export interface NewParticipant {
  identity: string | null;
  binding: MessagingBinding | null;
  attributes: string;
}

export interface NewMessage {
  author: string;
  body: string | null;
  attributes: string;
  /** A Content template instead of the body ("if this field is set, `Body` and `MediaSid` parameters are ignored"). */
  content?: MessageContent | null;
}

/** What a conversation update changes (absent: unchanged). */
export interface ConversationChanges {
  friendlyName?: string | null;
  uniqueName?: string | null;
  attributes?: string;
  inactiveMs?: number;
  closedMs?: number;
  state?: ConversationState;
}

/** What a message update changes (absent: unchanged). */
export interface MessageChanges {
  body?: string | null;
  author?: string;
  attributes?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A pre-action webhook rejected an SDK / SMS action (REST actions never ask one): "no publication will be made". */
export class ActionRejected extends Error {
  constructor(readonly event: string) {
    super(`${event} rejected by the pre-action webhook`);
    this.name = 'ActionRejected';
  }
}

const ONE_SECOND_MS = 1000;

/**
 * The Conversations actions, shared by the REST host and the inbound (autocreation) path: each
 * checks the per-conversation rate and the closed state, asks the pre-action webhook (SDK / SMS
 * only), acts, reports the post-action webhook, and re-arms the state timers.
 */
export class ConversationActions {
  /** Action times (sandbox clock) of the last second, per conversation. */
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly deps: FanOutDeps,
    private readonly tracking: ReceiptTracking,
  ) {}

  private get store(): FanOutDeps['store'] {
    return this.deps.store;
  }

  /** Asks the pre-action webhook about `event`: the fields it modified, or ActionRejected when it said no. */
  private async ask(serviceSid: string, event: string, origin: Origin, params: Record<string, string>): Promise<Record<string, string>> {
    const pre = await preAction(this.deps, serviceSid, event, origin, params);
    if (pre.rejected) throw new ActionRejected(event);
    return pre.modified;
  }

  /** 30 actions/s per conversation (rules.ts ACTIONS_PER_SECOND), 429 / 50063 beyond. */
  countAction(conversation: ConversationRecord): void {
    const now = this.store.now();
    const times = (this.recent.get(conversation.sid) ?? []).filter((t) => t > now - ONE_SECOND_MS);
    if (times.length >= ACTIONS_PER_SECOND) throw actionsPerSecondExceeded();
    times.push(now);
    this.recent.set(conversation.sid, times);
  }

  /**
   * Creates a conversation; `autocreatedBy` is the messaging pair (and its message) that autocreated it (the
   * `MessagingBinding.*` and `MessageBody` parameters of onConversationAdd / onConversationAdded).
   */
  async createConversation(
    serviceSid: string,
    init: NewConversation,
    origin: Origin,
    autocreatedBy: { binding: MessagingBinding; body: string } | null = null,
  ): Promise<ConversationRecord> {
    const originParams: Record<string, string> = autocreatedBy
      ? {
          'MessagingBinding.Address': autocreatedBy.binding.address,
          'MessagingBinding.ProxyAddress': autocreatedBy.binding.proxyAddress,
        }
      : {};
    const basics = {
      FriendlyName: init.friendlyName ?? '',
      UniqueName: init.uniqueName ?? '',
      Attributes: init.attributes,
      MessagingServiceSid: init.messagingServiceSid ?? this.store.configuration.defaultMessagingServiceSid,
      State: init.state,
    };
    const modified = await this.ask(serviceSid, 'onConversationAdd', origin, {
      ...basics,
      ...originParams,
      ...(autocreatedBy ? { MessageBody: autocreatedBy.body } : {}),
    });
    const now = this.store.now();
    const conversation: ConversationRecord = {
      seq: this.store.nextSeq(),
      sid: newSid('CH'),
      serviceSid,
      messagingServiceSid: init.messagingServiceSid ?? this.store.configuration.defaultMessagingServiceSid,
      friendlyName: modified.friendly_name ?? init.friendlyName,
      uniqueName: init.uniqueName,
      attributes: init.attributes,
      state: init.state,
      timers: { inactiveMs: init.inactiveMs, closedMs: init.closedMs, inactiveAt: null, closedAt: null },
      dateCreated: now,
      dateUpdated: now,
      nextIndex: 0,
    };
    armTimers(conversation, now);
    this.store.conversations.set(conversation.sid, conversation);
    postAction(this.deps, serviceSid, conversation, 'onConversationAdded', origin, {
      ...conversationParams(conversation),
      ...originParams,
    });
    return conversation;
  }

  /**
   * Updates a conversation (FriendlyName, UniqueName, Attributes, timers, State): the SDK's asks
   * `onConversationUpdate` first (its 200 may set `friendly_name`); reports `onConversationUpdated`
   * and, when the state moved, `onConversationStateUpdated`. A closed one only stays closed (50377).
   */
  async updateConversation(conversation: ConversationRecord, changes: ConversationChanges, origin: Origin): Promise<void> {
    if (conversation.state === 'closed' && changes.state !== 'closed') throw conversationClosed();
    this.countAction(conversation);
    const modified = await this.ask(conversation.serviceSid, 'onConversationUpdate', origin, {
      ...conversationParams(conversation),
      ...(changes.friendlyName !== undefined ? { FriendlyName: changes.friendlyName ?? '' } : {}),
      ...(changes.attributes !== undefined ? { Attributes: changes.attributes } : {}),
    });
    if (modified.friendly_name !== undefined) conversation.friendlyName = modified.friendly_name;
    else if (changes.friendlyName !== undefined) conversation.friendlyName = changes.friendlyName;
    if (changes.uniqueName !== undefined) conversation.uniqueName = changes.uniqueName;
    if (changes.attributes !== undefined) conversation.attributes = changes.attributes;
    if (changes.inactiveMs !== undefined) conversation.timers.inactiveMs = changes.inactiveMs;
    if (changes.closedMs !== undefined) conversation.timers.closedMs = changes.closedMs;
    conversation.dateUpdated = this.store.now();
    if (changes.state) this.setState(conversation, changes.state, 'API', origin);
    if (changes.inactiveMs !== undefined || changes.closedMs !== undefined) this.rearm(conversation);
    postAction(this.deps, conversation.serviceSid, conversation, 'onConversationUpdated', origin, conversationParams(conversation));
  }

  /** Removes a conversation with all it holds; reports `onConversationRemoved` (with DateRemoved). */
  async removeConversation(conversation: ConversationRecord, origin: Origin): Promise<void> {
    const params = conversationParams(conversation);
    await this.ask(conversation.serviceSid, 'onConversationRemove', origin, params);
    this.store.removeConversation(conversation);
    this.recent.delete(conversation.sid);
    postAction(this.deps, conversation.serviceSid, null, 'onConversationRemoved', origin, {
      ...params,
      DateRemoved: iso(this.store.now()),
    });
  }

  /** A state change (by update or by timer): closed is final (50377); reports `onConversationStateUpdated`. */
  setState(conversation: ConversationRecord, state: ConversationState, reason: 'API' | 'TIMER' = 'API', origin: Origin = BY_TWILIO): void {
    if (conversation.state === state) return;
    if (conversation.state === 'closed') throw conversationClosed();
    const previous = conversation.state;
    conversation.state = state;
    conversation.dateUpdated = this.store.now();
    armTimers(conversation, conversation.dateUpdated);
    // Parameters as the page lists them: StateUpdated, StateFrom, StateTo, ConversationSid, Reason, MessagingServiceSid.
    postAction(this.deps, conversation.serviceSid, conversation, 'onConversationStateUpdated', origin, {
      ConversationSid: conversation.sid,
      StateUpdated: iso(conversation.dateUpdated),
      StateFrom: previous,
      StateTo: state,
      Reason: reason,
      MessagingServiceSid: conversation.messagingServiceSid ?? '',
    });
  }

  async addParticipant(conversation: ConversationRecord, init: NewParticipant, origin: Origin): Promise<ParticipantRecord> {
    if (conversation.state === 'closed') throw conversationClosed();
    this.countAction(conversation);
    if (!init.identity && !init.binding) throw badRequest(20001, 'A participant needs Identity or MessagingBinding.Address');
    if (init.binding) {
      const holder = this.store.openParticipantForPair(init.binding.address, init.binding.proxyAddress);
      if (holder) throw pairInUse(holder.conversationSid);
    }
    if (init.identity && this.store.participantsOf(conversation.sid).some((p) => p.identity === init.identity)) {
      throw identityInUse(init.identity);
    }
    const params = participantParams(conversation, init);
    await this.ask(conversation.serviceSid, 'onParticipantAdd', origin, params);
    const now = this.store.now();
    const participant: ParticipantRecord = {
      seq: this.store.nextSeq(),
      sid: newSid('MB'),
      conversationSid: conversation.sid,
      identity: init.identity,
      binding: init.binding,
      attributes: init.attributes,
      dateCreated: now,
      dateUpdated: now,
    };
    this.store.participants.set(participant.sid, participant);
    this.touch(conversation, now);
    postAction(this.deps, conversation.serviceSid, conversation, 'onParticipantAdded', origin, {
      ...params,
      ParticipantSid: participant.sid,
      DateCreated: iso(now),
    });
    return participant;
  }

  /** Updates a participant's Attributes; reports `onParticipantUpdated`. */
  async updateParticipant(
    conversation: ConversationRecord,
    participant: ParticipantRecord,
    attributes: string,
    origin: Origin,
  ): Promise<void> {
    this.countAction(conversation);
    await this.ask(conversation.serviceSid, 'onParticipantUpdate', origin, {
      ...participantEventParams(conversation, participant),
      Attributes: attributes,
    });
    participant.attributes = attributes;
    participant.dateUpdated = this.store.now();
    postAction(
      this.deps,
      conversation.serviceSid,
      conversation,
      'onParticipantUpdated',
      origin,
      participantEventParams(conversation, participant),
    );
  }

  /** Removes a participant; reports `onParticipantRemoved` (with DateRemoved). */
  async removeParticipant(conversation: ConversationRecord, participant: ParticipantRecord, origin: Origin): Promise<void> {
    this.countAction(conversation);
    const params = participantEventParams(conversation, participant);
    await this.ask(conversation.serviceSid, 'onParticipantRemove', origin, params);
    this.store.participants.delete(participant.sid);
    postAction(this.deps, conversation.serviceSid, conversation, 'onParticipantRemoved', origin, {
      ...params,
      DateRemoved: iso(this.store.now()),
    });
  }

  /**
   * Adds a message (its author's participant, if any, is `from`): the pre-action `onMessageAdd` may
   * reject it (SDK / SMS only), then it is stored, reported (`onMessageAdded`) and sent to every
   * messaging participant but its author.
   */
  async addMessage(
    conversation: ConversationRecord,
    init: NewMessage,
    origin: Origin,
    from: ParticipantRecord | null = null,
  ): Promise<ConversationMessageRecord> {
    if (conversation.state === 'closed') throw conversationClosed();
    this.countAction(conversation);
    const params: Record<string, string> = {
      ConversationSid: conversation.sid,
      Author: init.author,
      Body: init.body ?? '',
      Attributes: init.attributes,
      ...(from ? { ParticipantSid: from.sid } : {}),
      ...(from?.identity ? { ClientIdentity: from.identity } : {}),
      MessagingServiceSid: conversation.messagingServiceSid ?? '',
    };
    const modified = await this.ask(conversation.serviceSid, 'onMessageAdd', origin, params);
    // A 200 answer may modify body, author and attributes (hooks.ts MODIFIABLE).
    if (modified.body !== undefined) params.Body = modified.body;
    if (modified.author !== undefined) params.Author = modified.author;
    if (modified.attributes !== undefined) params.Attributes = modified.attributes;
    const now = this.store.now();
    const recipients = this.store.participantsOf(conversation.sid).filter((p) => p.binding && p.sid !== from?.sid);
    const message: ConversationMessageRecord = {
      seq: this.store.nextSeq(),
      sid: newSid('IM'),
      conversationSid: conversation.sid,
      index: conversation.nextIndex,
      author: params.Author,
      body: modified.body ?? init.body,
      attributes: params.Attributes,
      content: init.content ?? null,
      participantSid: from?.sid ?? null,
      fannedOut: recipients.length,
      receipts: [],
      dateCreated: now,
      dateUpdated: now,
    };
    conversation.nextIndex += 1;
    this.store.messages.set(message.sid, message);
    // Activity brings an inactive conversation back to active (https://www.twilio.com/docs/conversations/states-timers).
    if (conversation.state === 'inactive') this.setState(conversation, 'active', 'API', origin);
    this.touch(conversation, now);
    postAction(this.deps, conversation.serviceSid, conversation, 'onMessageAdded', origin, {
      ...params,
      MessageSid: message.sid,
      Index: String(message.index),
      DateCreated: new Date(now).toISOString(),
    });
    fanOut(this.deps, this.tracking, conversation, message, recipients);
    return message;
  }

  /** Updates a message's Body / Author / Attributes: `onMessageUpdate` first (SDK), then `onMessageUpdated`. */
  async updateMessage(
    conversation: ConversationRecord,
    message: ConversationMessageRecord,
    changes: MessageChanges,
    origin: Origin,
  ): Promise<void> {
    this.countAction(conversation);
    const modified = await this.ask(conversation.serviceSid, 'onMessageUpdate', origin, {
      ...messageParams(conversation, message),
      ...(changes.body !== undefined ? { Body: changes.body ?? '' } : {}),
      ...(changes.author !== undefined ? { Author: changes.author } : {}),
      ...(changes.attributes !== undefined ? { Attributes: changes.attributes } : {}),
    });
    const body = modified.body ?? changes.body;
    if (body !== undefined) message.body = body;
    const author = modified.author ?? changes.author;
    if (author !== undefined) message.author = author;
    const attributes = modified.attributes ?? changes.attributes;
    if (attributes !== undefined) message.attributes = attributes;
    message.dateUpdated = this.store.now();
    postAction(this.deps, conversation.serviceSid, conversation, 'onMessageUpdated', origin, messageParams(conversation, message));
  }

  /** Removes a message: `onMessageRemove` first (SDK), then `onMessageRemoved` (with DateRemoved). */
  async removeMessage(conversation: ConversationRecord, message: ConversationMessageRecord, origin: Origin): Promise<void> {
    this.countAction(conversation);
    const params = messageParams(conversation, message);
    await this.ask(conversation.serviceSid, 'onMessageRemove', origin, params);
    this.store.messages.delete(message.sid);
    postAction(this.deps, conversation.serviceSid, conversation, 'onMessageRemoved', origin, {
      ...params,
      DateRemoved: iso(this.store.now()),
    });
  }

  /** Fires the state timers that fell due on the sandbox clock (active → inactive → closed). */
  tickTimers(): void {
    const now = this.store.now();
    for (const conversation of this.store.conversations.values()) {
      const { inactiveAt, closedAt } = conversation.timers;
      if (closedAt !== null && closedAt <= now) this.setState(conversation, 'closed', 'TIMER');
      else if (inactiveAt !== null && inactiveAt <= now && conversation.state === 'active')
        this.setState(conversation, 'inactive', 'TIMER');
    }
  }

  /** Timers changed by an update: they run from now. */
  rearm(conversation: ConversationRecord): void {
    armTimers(conversation, this.store.now());
  }

  private touch(conversation: ConversationRecord, now: number): void {
    conversation.dateUpdated = now;
    armTimers(conversation, now);
  }
}

/** A conversation's parameters as onConversationAdded / Updated / Removed list them. */
function conversationParams(c: ConversationRecord): Record<string, string> {
  return {
    ConversationSid: c.sid,
    DateCreated: iso(c.dateCreated),
    DateUpdated: iso(c.dateUpdated),
    FriendlyName: c.friendlyName ?? '',
    UniqueName: c.uniqueName ?? '',
    Attributes: c.attributes,
    MessagingServiceSid: c.messagingServiceSid ?? '',
    State: c.state,
  };
}

/** `MessagingBinding.Type`: "one of: SMS, CHAT, WHATSAPP". */
function bindingType(binding: MessagingBinding | null): string {
  return binding ? binding.type.toUpperCase() : 'CHAT';
}

function participantParams(conversation: ConversationRecord, p: NewParticipant): Record<string, string> {
  return {
    ConversationSid: conversation.sid,
    ...(p.identity ? { Identity: p.identity } : {}),
    ...(p.binding ? { 'MessagingBinding.Address': p.binding.address, 'MessagingBinding.ProxyAddress': p.binding.proxyAddress } : {}),
    'MessagingBinding.Type': bindingType(p.binding),
    RoleSid: '',
    Attributes: p.attributes,
  };
}

/** An existing participant's parameters (onParticipantUpdated / Removed): ParticipantSid and its dates too. */
function participantEventParams(conversation: ConversationRecord, p: ParticipantRecord): Record<string, string> {
  return {
    ...participantParams(conversation, p),
    ParticipantSid: p.sid,
    DateCreated: iso(p.dateCreated),
    DateUpdated: iso(p.dateUpdated),
  };
}

/** An existing message's parameters (onMessageUpdated / Removed). */
function messageParams(conversation: ConversationRecord, m: ConversationMessageRecord): Record<string, string> {
  return {
    ConversationSid: conversation.sid,
    MessageSid: m.sid,
    Index: String(m.index),
    DateCreated: iso(m.dateCreated),
    DateUpdated: iso(m.dateUpdated),
    Body: m.body ?? '',
    Author: m.author,
    ...(m.participantSid ? { ParticipantSid: m.participantSid } : {}),
    Attributes: m.attributes,
  };
}
