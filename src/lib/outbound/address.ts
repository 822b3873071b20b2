/** The channels we reach people on; consent is kept per channel. */
export const CHANNELS = ['sms', 'whatsapp', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];
export type MessagingChannel = Exclude<Channel, 'voice'>;

const WHATSAPP_PREFIX = 'whatsapp:';

/** How Twilio addresses a number on a messaging channel: `whatsapp:+E164` for WhatsApp, `+E164` for SMS. */
export const twilioAddress = (channel: MessagingChannel, number: string): string =>
  channel === 'whatsapp' ? `${WHATSAPP_PREFIX}${number}` : number;

/** Reads a Twilio messaging address (`whatsapp:+14155550142`, `+14155550142`) into its channel and bare number. */
export function readAddress(address: string): { channel: MessagingChannel; number: string } {
  return address.startsWith(WHATSAPP_PREFIX)
    ? { channel: 'whatsapp', number: address.slice(WHATSAPP_PREFIX.length) }
    : { channel: 'sms', number: address };
}

/**
 * The key of a (channel, number) pair in per-person stores: the channel's Twilio address, and
 * `voice:+E164` for calls. SMS keeps the bare number, so records written before channels had
 * names keep their meaning.
 */
export const channelKey = (channel: Channel, number: string): string =>
  channel === 'voice' ? `voice:${number}` : twilioAddress(channel, number);
