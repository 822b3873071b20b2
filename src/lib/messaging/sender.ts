import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import type { Settings } from '../config/settings';
import { AppError } from '../errors/app-error';
import { isRetryableTwilioError } from '../errors/twilio-errors';
import type { Deadline } from '../runtime/deadline';
import { retryWithin } from '../runtime/retry';
import type { TwilioClient } from '../twilio/sdk';

export type Channel = 'sms' | 'whatsapp';

export interface OutboundMessage {
  /** E.164; WhatsApp addressing (`whatsapp:`) is added here for channel whatsapp. */
  to: string;
  channel?: Channel;
  body?: string;
  /** An approved Content template (HX...) and its variables, instead of a free-form body. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
  mediaUrls?: readonly string[];
  smartEncoded?: boolean;
  /** Schedule instead of sending now (needs a Messaging Service; 15 min to 35 days ahead). */
  sendAt?: Date;
  /** False for operational messages (alerts) that must not count in delivery statistics. */
  track?: boolean;
}

export interface SendContext {
  twilio(): TwilioClient;
  settings: Settings;
  deadline: Deadline;
}

/** Where our status callbacks go. */
export const statusCallbackUrl = (settings: Settings): string => `${settings.publicBaseUrl}/sms/status`;

/** The sender: the Messaging Service when set, else our number (WHATSAPP_FROM for WhatsApp). */
function senderFor(settings: Settings, channel: Channel): { messagingServiceSid: string } | { from: string } {
  if (settings.messagingServiceSid) return { messagingServiceSid: settings.messagingServiceSid };
  const number = channel === 'whatsapp' ? (settings.whatsappFrom ?? settings.phoneNumber) : settings.phoneNumber;
  if (!number) throw new AppError(500, 'not_configured', 'Set MESSAGING_SERVICE_SID or TWILIO_PHONE_NUMBER to send messages');
  return { from: channel === 'whatsapp' ? `whatsapp:${number}` : number };
}

/**
 * The one place messages leave, SMS and WhatsApp alike: through MESSAGING_SERVICE_SID when set,
 * else from our number; status callbacks to /sms/status (unless untracked); Twilio's "too many
 * requests" (20429, WhatsApp's 63018) retried with backoff inside the time budget.
 */
export async function sendMessage({ twilio, settings, deadline }: SendContext, sms: OutboundMessage): Promise<MessageInstance> {
  const channel = sms.channel ?? 'sms';
  const sender = senderFor(settings, channel);
  if (sms.sendAt && !settings.messagingServiceSid) {
    throw new AppError(500, 'not_configured', 'Scheduling a message needs MESSAGING_SERVICE_SID');
  }
  const params = {
    to: channel === 'whatsapp' ? `whatsapp:${sms.to}` : sms.to,
    ...sender,
    ...(sms.contentSid ? { contentSid: sms.contentSid, contentVariables: JSON.stringify(sms.contentVariables ?? {}) } : {}),
    ...(sms.body ? { body: sms.body } : {}),
    ...(sms.mediaUrls?.length ? { mediaUrl: [...sms.mediaUrls] } : {}),
    ...(sms.smartEncoded === undefined ? {} : { smartEncoded: sms.smartEncoded }),
    ...(sms.sendAt ? { scheduleType: 'fixed' as const, sendAt: sms.sendAt } : {}),
    ...(sms.track === false ? {} : { statusCallback: statusCallbackUrl(settings) }),
  };
  return retryWithin(() => twilio().messages.create(params), { deadline, retryable: isRetryableTwilioError });
}
