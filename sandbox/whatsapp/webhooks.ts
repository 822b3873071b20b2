/**
 * Where a WhatsApp sender's inbound messages go. On Twilio this is the WhatsApp sender's own
 * "incoming message" webhook (set in the Console or on a Messaging Service), separate from the
 * number's SmsUrl; in the sandbox it is set with `POST /_sandbox/whatsapp/webhook`. Numbers with
 * none fall back to their SmsUrl.
 */
export class WhatsAppWebhooks {
  private readonly urls = new Map<string, string>();

  set(phoneNumber: string, url: string): void {
    this.urls.set(phoneNumber, url);
  }

  get(phoneNumber: string): string | undefined {
    return this.urls.get(phoneNumber);
  }
}
