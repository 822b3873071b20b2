/**
 * WhatsApp channel addresses on the Messages API: `whatsapp:+E164`
 * (https://www.twilio.com/docs/messaging/channels). Plain E.164 numbers are SMS.
 */
const WHATSAPP_PREFIX = 'whatsapp:';

/** True for a `whatsapp:` address. */
export function isWhatsApp(address: string | null | undefined): boolean {
  return typeof address === 'string' && address.startsWith(WHATSAPP_PREFIX);
}

/** The channel of an address: the prefix before `:` (`whatsapp`, …), or `sms` for a bare number. */
export function channelOf(address: string): string {
  const colon = address.indexOf(':');
  return colon < 0 ? 'sms' : address.slice(0, colon).toLowerCase();
}

/** `+14155550142` or `whatsapp:+14155550142` → `whatsapp:+14155550142`. */
export function toWhatsApp(address: string): string {
  return isWhatsApp(address) ? address : `${WHATSAPP_PREFIX}${address}`;
}

/** The WhatsApp ID Twilio reports as `WaId`: the number's digits, without `+` or prefix. */
export function waIdOf(address: string): string {
  return address.replace(/^[a-z]+:/i, '').replace(/\D/g, '');
}
