// What Twilio already holds from us to one person since a moment: the evidence for a send whose
// outcome nobody recorded (the attempt died, or failed after Twilio may have accepted it).
import type { Settings } from '../config/settings';
import { repeatable } from '../twilio/request-policy';
import { twilioAddress, type Channel, type MessagingChannel } from './address';
import type { SendContext } from './twilio-requests';

/**
 * How far Twilio's clock (date_created, whole seconds) may be behind ours. A wider margin can only
 * find more candidates (a conservative answer), never fewer (a second send).
 */
const CLOCK_MARGIN_MS = 5_000;
/** Messages or calls to one person read back: the newest first, so the recent ones are all there. */
const LIST_LIMIT = 50;

export interface PriorSend {
  sid: string;
  status: string;
  /** The Twilio address it went to (`whatsapp:+…` for WhatsApp). */
  to: string;
}

/** Whether a message came from our sender: the Messaging Service when set, else our number (WHATSAPP_FROM for WhatsApp). */
export function sentByUs(
  settings: Settings,
  channel: MessagingChannel,
): (message: { messagingServiceSid: string | null; from: string | null }) => boolean {
  const { messagingServiceSid, phoneNumber, whatsappFrom } = settings;
  const sender = twilioAddress(channel, (channel === 'whatsapp' ? whatsappFrom : undefined) ?? phoneNumber ?? '');
  return (message) => (messagingServiceSid ? message.messagingServiceSid === messagingServiceSid : message.from === sender);
}

/**
 * Every message (SMS, WhatsApp) or call we originated through the API to `to` that Twilio created
 * at or after `since` (less CLOCK_MARGIN_MS). Twilio's Messages and Calls resources return no
 * status callback URL or other field of ours, so recipient, sender and time are all there is to
 * match on: the caller decides what one candidate, or several, mean.
 */
export async function priorSends(
  { twilio, settings, deadline }: SendContext,
  channel: Channel,
  to: string,
  since: number,
): Promise<PriorSend[]> {
  const after = (created: Date | null | undefined) => (created?.getTime() ?? 0) >= since - CLOCK_MARGIN_MS;
  const reading = <T>(work: () => Promise<T>) => repeatable(deadline, work);
  if (channel === 'voice') {
    const calls = await reading(() =>
      twilio().calls.list({ to, ...(settings.phoneNumber ? { from: settings.phoneNumber } : {}), limit: LIST_LIMIT }),
    );
    return calls
      .filter((call) => call.direction === 'outbound-api' && after(call.dateCreated))
      .map((call) => ({ sid: call.sid, status: call.status, to: call.to }));
  }
  const address = twilioAddress(channel, to);
  const ours = sentByUs(settings, channel);
  const messages = await reading(() => twilio().messages.list({ to: address, limit: LIST_LIMIT }));
  return messages
    .filter((message) => message.direction === 'outbound-api' && ours(message) && after(message.dateCreated))
    .map((message) => ({ sid: message.sid, status: message.status, to: message.to }));
}
