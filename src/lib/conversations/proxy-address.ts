import { twilioAddress, type MessagingChannel } from '../outbound/address';

/** The account's numbers Conversations binds messaging participants to (bare E.164). */
export interface ConversationsSenders {
  /** CONVERSATIONS_NUMBER: the number Conversations owns for SMS. */
  number?: string;
  /** WHATSAPP_FROM: the account's WhatsApp sender. */
  whatsappFrom?: string;
}

/**
 * The one proxy address Conversations uses on a channel: for SMS, `CONVERSATIONS_NUMBER`; for
 * WhatsApp, `whatsapp:<WHATSAPP_FROM>`, the account's WhatsApp sender (a WhatsApp address must be
 * a WhatsApp sender registered on the account,
 * https://twilio.com/docs/flex/admin-guide/setup/conversations/manage-conversations-whatsapp-addresses).
 * `/conversations/start` binds participants to it, `npm run provision` gives it the Address
 * Configuration that autocreates, and `doctor` checks that one: inbound messages are routed by the
 * (participant, proxy) pair ("only one unique mapping … in order to route inbound messages
 * correctly", https://twilio.com/docs/api/errors/50425), so a reply reaches the thread that wrote
 * only when both name the same address. `undefined` when that channel has no sender set.
 */
export function conversationsProxyAddress(senders: ConversationsSenders, channel: MessagingChannel): string | undefined {
  const number = channel === 'whatsapp' ? senders.whatsappFrom : senders.number;
  return number ? twilioAddress(channel, number) : undefined;
}
