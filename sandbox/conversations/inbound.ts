import type { ConversationRouting } from '../phone/inbound-sms';
import { ActionRejected, type ConversationActions } from './actions';
import type { Origin } from './hooks';
import type { ConversationStore, MessagingBinding } from './store';
import { toWhatsApp } from '../whatsapp/addresses';

/**
 * A message from `from` to the account's number `to` on `channel` (`whatsapp:` addresses for
 * WhatsApp), as Conversations routes it (https://www.twilio.com/docs/conversations/inbound-autocreation):
 * to the conversation that binds the pair, if one is open; else, when the number's Address
 * Configuration of that type (`sms` / `whatsapp`) has autocreation enabled, to a new conversation
 * in its service with the sender as participant (and, for type `webhook`, a conversation-scoped
 * webhook to its WebhookUrl with its filters); else `undefined` and the number's webhook gets it.
 * The actions carry Source SMS / WHATSAPP, so pre-action webhooks apply: one that rejects
 * (40x / 50x) leaves the inbound channel Message received but publishes nothing to the
 * conversation ("Conversations will reject the change and no publication will be made",
 * https://www.twilio.com/docs/conversations/conversations-webhooks); `rejected` names the event.
 */
export async function routeInbound(
  store: ConversationStore,
  actions: ConversationActions,
  channel: MessagingBinding['type'],
  from: string,
  to: string,
  body: string,
): Promise<ConversationRouting | undefined> {
  const binding: MessagingBinding =
    channel === 'whatsapp'
      ? { type: 'whatsapp', address: toWhatsApp(from), proxyAddress: toWhatsApp(to) }
      : { type: 'sms', address: from, proxyAddress: to };
  const origin: Origin = { source: channel === 'whatsapp' ? 'WHATSAPP' : 'SMS' };
  let participant = store.openParticipantForPair(binding.address, binding.proxyAddress);
  let autocreated = false;
  let conversationSid: string | null = participant?.conversationSid ?? null;
  try {
    if (!participant) {
      const config = store.addressConfigFor(channel, to);
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
        origin,
        { binding, body },
      );
      conversationSid = conversation.sid;
      autocreated = true;
      if (auto.type === 'webhook' && auto.webhookUrl) {
        store.addWebhook({
          conversationSid: conversation.sid,
          target: 'webhook',
          url: auto.webhookUrl,
          method: auto.webhookMethod === 'get' ? 'GET' : 'POST',
          filters: auto.webhookFilters,
          triggers: [],
          flowSid: null,
        });
      }
      participant = await actions.addParticipant(conversation, { identity: null, binding, attributes: '{}' }, origin);
    }
    const conversation = store.conversations.get(participant.conversationSid);
    if (!conversation) return undefined;
    const message = await actions.addMessage(conversation, { author: binding.address, body, attributes: '{}' }, origin, participant);
    return { conversationSid: conversation.sid, participantSid: participant.sid, conversationMessageSid: message.sid, autocreated };
  } catch (error) {
    if (!(error instanceof ActionRejected)) throw error;
    return {
      conversationSid,
      participantSid: participant?.sid ?? null,
      conversationMessageSid: null,
      autocreated,
      rejected: error.event,
    };
  }
}
