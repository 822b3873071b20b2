import type { ConversationRouting } from '../phone/inbound-sms';
import { newSid } from '../sids';
import type { ConversationActions } from './actions';
import type { ConversationStore } from './store';

/**
 * An SMS from `from` to the account's number `to`, as Conversations routes it
 * (https://www.twilio.com/docs/conversations/inbound-autocreation): to the conversation that binds
 * the pair, if one is open; else, when the number's Address Configuration has autocreation
 * enabled, to a new conversation in its service with the sender as participant (and, for type
 * `webhook`, a conversation-scoped webhook to its WebhookUrl with its filters); else `undefined`
 * and the number's SMS webhook gets it. The message is added with Source SMS, so pre-action
 * webhooks apply.
 */
export async function routeInboundSms(
  store: ConversationStore,
  actions: ConversationActions,
  from: string,
  to: string,
  body: string,
): Promise<ConversationRouting | undefined> {
  let participant = store.openParticipantForPair(from, to);
  let autocreated = false;
  if (!participant) {
    const config = store.addressConfigFor('sms', to);
    if (!config?.autoCreation.enabled) return undefined;
    const auto = config.autoCreation;
    const serviceSid = auto.conversationServiceSid ?? store.configuration.defaultChatServiceSid;
    const conversation = await actions.createConversation(
      serviceSid,
      {
        friendlyName: null,
        uniqueName: null,
        attributes: '{}',
        messagingServiceSid: null,
        state: 'active',
        inactiveMs: null,
        closedMs: null,
      },
      'SMS',
    );
    if (auto.type === 'webhook' && auto.webhookUrl) {
      const now = store.now();
      const sid = newSid('WH');
      store.webhooks.set(sid, {
        seq: store.nextSeq(),
        sid,
        conversationSid: conversation.sid,
        target: 'webhook',
        url: auto.webhookUrl,
        method: auto.webhookMethod === 'get' ? 'GET' : 'POST',
        filters: auto.webhookFilters,
        triggers: [],
        flowSid: null,
        dateCreated: now,
        dateUpdated: now,
      });
    }
    participant = await actions.addParticipant(
      conversation,
      { identity: null, binding: { type: 'sms', address: from, proxyAddress: to }, attributes: '{}' },
      'SMS',
    );
    autocreated = true;
  }
  const conversation = store.conversations.get(participant.conversationSid);
  if (!conversation) return undefined;
  const message = await actions.addMessage(conversation, { author: from, body, attributes: '{}' }, 'SMS', participant);
  return { conversationSid: conversation.sid, participantSid: participant.sid, conversationMessageSid: message.sid, autocreated };
}
