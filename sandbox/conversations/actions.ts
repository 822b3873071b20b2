import { badRequest } from '../http/errors';
import { newSid } from '../sids';
import { fanOut, type FanOutDeps, type ReceiptTracking } from './fan-out';
import { postAction, preAction, type ActionSource } from './hooks';
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
}

/** A pre-action webhook rejected an SDK / SMS action (REST actions never ask one). */
class ActionRejected extends Error {
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

  /** 30 actions/s per conversation (rules.ts ACTIONS_PER_SECOND), 429 / 50063 beyond. */
  countAction(conversation: ConversationRecord): void {
    const now = this.store.now();
    const times = (this.recent.get(conversation.sid) ?? []).filter((t) => t > now - ONE_SECOND_MS);
    if (times.length >= ACTIONS_PER_SECOND) throw actionsPerSecondExceeded();
    times.push(now);
    this.recent.set(conversation.sid, times);
  }

  async createConversation(serviceSid: string, init: NewConversation, source: ActionSource): Promise<ConversationRecord> {
    const basics = { FriendlyName: init.friendlyName ?? '', UniqueName: init.uniqueName ?? '', Attributes: init.attributes };
    if (!(await preAction(this.deps, serviceSid, 'onConversationAdd', source, basics))) throw new ActionRejected('onConversationAdd');
    const now = this.store.now();
    const conversation: ConversationRecord = {
      seq: this.store.nextSeq(),
      sid: newSid('CH'),
      serviceSid,
      messagingServiceSid: init.messagingServiceSid ?? this.store.configuration.defaultMessagingServiceSid,
      friendlyName: init.friendlyName,
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
    postAction(this.deps, serviceSid, conversation, 'onConversationAdded', source, {
      ConversationSid: conversation.sid,
      DateCreated: new Date(now).toISOString(),
      State: conversation.state,
      ...basics,
      MessagingServiceSid: conversation.messagingServiceSid ?? '',
    });
    return conversation;
  }

  /** A state change (by update or by timer): closed is final (50377); reports `onConversationStateUpdated`. */
  setState(conversation: ConversationRecord, state: ConversationState, reason: 'API' | 'TIMER' = 'API'): void {
    if (conversation.state === state) return;
    if (conversation.state === 'closed') throw conversationClosed();
    const previous = conversation.state;
    conversation.state = state;
    conversation.dateUpdated = this.store.now();
    armTimers(conversation, conversation.dateUpdated);
    postAction(this.deps, conversation.serviceSid, conversation, 'onConversationStateUpdated', 'API', {
      ConversationSid: conversation.sid,
      StateFrom: previous,
      StateTo: state,
      Reason: reason,
    });
  }

  async addParticipant(conversation: ConversationRecord, init: NewParticipant, source: ActionSource): Promise<ParticipantRecord> {
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
    if (!(await preAction(this.deps, conversation.serviceSid, 'onParticipantAdd', source, params)))
      throw new ActionRejected('onParticipantAdd');
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
    postAction(this.deps, conversation.serviceSid, conversation, 'onParticipantAdded', source, {
      ...params,
      ParticipantSid: participant.sid,
    });
    return participant;
  }

  removeParticipant(conversation: ConversationRecord, participant: ParticipantRecord, source: ActionSource): void {
    this.countAction(conversation);
    this.store.participants.delete(participant.sid);
    postAction(this.deps, conversation.serviceSid, conversation, 'onParticipantRemoved', source, {
      ...participantParams(conversation, participant),
      ParticipantSid: participant.sid,
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
    source: ActionSource,
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
    if (!(await preAction(this.deps, conversation.serviceSid, 'onMessageAdd', source, params))) throw new ActionRejected('onMessageAdd');
    const now = this.store.now();
    const recipients = this.store.participantsOf(conversation.sid).filter((p) => p.binding && p.sid !== from?.sid);
    const message: ConversationMessageRecord = {
      seq: this.store.nextSeq(),
      sid: newSid('IM'),
      conversationSid: conversation.sid,
      index: conversation.nextIndex,
      author: init.author,
      body: init.body,
      attributes: init.attributes,
      participantSid: from?.sid ?? null,
      fannedOut: recipients.length,
      receipts: [],
      dateCreated: now,
      dateUpdated: now,
    };
    conversation.nextIndex += 1;
    this.store.messages.set(message.sid, message);
    // Activity brings an inactive conversation back to active (https://www.twilio.com/docs/conversations/states-timers).
    if (conversation.state === 'inactive') this.setState(conversation, 'active');
    this.touch(conversation, now);
    postAction(this.deps, conversation.serviceSid, conversation, 'onMessageAdded', source, {
      ...params,
      MessageSid: message.sid,
      Index: String(message.index),
      DateCreated: new Date(now).toISOString(),
    });
    fanOut(this.deps, this.tracking, conversation, message, recipients);
    return message;
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

function participantParams(conversation: ConversationRecord, p: NewParticipant): Record<string, string> {
  return {
    ConversationSid: conversation.sid,
    ...(p.identity ? { Identity: p.identity } : {}),
    ...(p.binding ? { 'MessagingBinding.Address': p.binding.address, 'MessagingBinding.ProxyAddress': p.binding.proxyAddress } : {}),
    Attributes: p.attributes,
  };
}
