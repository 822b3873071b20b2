/** `+14155550142` → `whatsapp:+14155550142`: how Twilio addresses a WhatsApp user. */
export const whatsappAddress = (e164: string): string => `whatsapp:${e164}`;
