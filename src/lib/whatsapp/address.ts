import { badRequest } from '../errors/app-error';

const PREFIX = 'whatsapp:';

/** `+14155550142` → `whatsapp:+14155550142`: how Twilio addresses a WhatsApp user. */
export const whatsappAddress = (e164: string): string => `${PREFIX}${e164}`;

/** `whatsapp:+14155550142` → `+14155550142`; anything else is not a WhatsApp address. */
export function fromWhatsappAddress(address: string): string {
  if (!address.startsWith(PREFIX)) throw badRequest('invalid_parameter', `"${address.slice(0, 40)}" is not a WhatsApp address (whatsapp:+E164)`);
  return address.slice(PREFIX.length);
}
