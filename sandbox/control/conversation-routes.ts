import { ActionRejected, type ConversationActions } from '../conversations/actions';
import { LIMITS } from '../conversations/rules';
import type { ConversationMessageRecord, ConversationStore, ParticipantRecord } from '../conversations/store';
import { iso8601 } from '../dates';
import { json, type Router } from '../http/router';
import { ControlError, parseJsonObject, requireString } from './errors';

/** The sandbox's Conversations, for the control plane: the console's threads and the SDK stand-in. */
export interface ConversationControlDeps {
  store: ConversationStore;
  actions: ConversationActions;
}

/** Threads shown at most (newest activity first). */
const MAX_THREADS = 200;

function participantView(p: ParticipantRecord): Record<string, unknown> {
  return {
    sid: p.sid,
    identity: p.identity,
    channel: p.binding ? p.binding.type : 'chat',
    address: p.binding?.address ?? null,
    proxyAddress: p.binding?.proxyAddress ?? null,
  };
}

function messageView(m: ConversationMessageRecord): Record<string, unknown> {
  return {
    sid: m.sid,
    index: m.index,
    author: m.author,
    body: m.body,
    // A template message has no body of its own: its Content SID and the text its recipients got.
    contentSid: m.content?.contentSid ?? null,
    rendered: m.content?.rendered.body ?? null,
    participantSid: m.participantSid,
    dateCreated: iso8601(m.dateCreated),
    receipts: m.receipts.map((r) => ({ participantSid: r.participantSid, status: r.status, errorCode: r.errorCode })),
    // Sent to messaging participants whose receipt has not come yet.
    pending: m.fannedOut - m.receipts.length,
  };
}

/**
 * `GET /_sandbox/conversations`: every conversation as a thread (participants with their channel,
 * messages in index order with their delivery receipts), newest activity first.
 * `POST /_sandbox/conversations/{sid}/messages` `{identity, body, attributes?}`: what the
 * Conversations JS SDK would do when the chat participant `identity` sends a message (the SDK
 * talks to Twilio over a websocket the sandbox does not emulate): the same action as the REST
 * API, with Source `SDK`, so the pre-action `onMessageAdd` webhook is asked first (a 40x / 50x
 * answer refuses it: 403 `rejected_by_webhook`). 404 `not_a_participant` when `identity` is not
 * one of its chat participants.
 */
export function addConversationControlRoutes(router: Router, deps: ConversationControlDeps): void {
  const { store, actions } = deps;
  router
    .get('/conversations', () => {
      const threads = [...store.conversations.values()]
        .sort((a, b) => b.dateUpdated - a.dateUpdated || b.seq - a.seq)
        .slice(0, MAX_THREADS)
        .map((c) => ({
          sid: c.sid,
          serviceSid: c.serviceSid,
          friendlyName: c.friendlyName,
          state: c.state,
          dateUpdated: iso8601(c.dateUpdated),
          participants: store.participantsOf(c.sid).map(participantView),
          // In creation order, which is index order.
          messages: store.messagesOf(c.sid).map(messageView),
        }));
      return json(200, { conversations: threads });
    })
    .post('/conversations/:ConversationSid/messages', async (req) => {
      const body = parseJsonObject(req.rawBody);
      const identity = requireString(body, 'identity');
      const text = requireString(body, 'body');
      if (text.length > LIMITS.messagingBody)
        throw new ControlError(400, 'invalid_request', `"body" is longer than ${LIMITS.messagingBody} characters`);
      const attributes = body.attributes === undefined ? '{}' : JSON.stringify(body.attributes);
      const conversation = store.conversations.get(req.params.ConversationSid);
      if (!conversation) throw new ControlError(404, 'not_found', `no conversation ${req.params.ConversationSid}`);
      const from = store.participantsOf(conversation.sid).find((p) => p.identity === identity);
      if (!from) throw new ControlError(404, 'not_a_participant', `${identity} is not a chat participant of ${conversation.sid}`);
      try {
        const message = await actions.addMessage(conversation, { author: identity, body: text, attributes }, { source: 'SDK' }, from);
        return json(201, messageView(message));
      } catch (error) {
        if (error instanceof ActionRejected)
          throw new ControlError(403, 'rejected_by_webhook', `the ${error.event} pre-action webhook rejected the message`);
        throw error;
      }
    });
}
