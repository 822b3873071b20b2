import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import type { Settings } from '../config/settings';
import { AppError } from '../errors/app-error';
import { isRetryableTwilioError } from '../errors/twilio-errors';
import type { Deadline } from '../runtime/deadline';
import { retryWithin } from '../runtime/retry';
import type { TwilioClient } from '../twilio/sdk';

export interface OutboundSms {
  to: string;
  body?: string;
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

/**
 * The one place messages leave: through MESSAGING_SERVICE_SID when set, else from
 * TWILIO_PHONE_NUMBER; status callbacks to /sms/status (unless untracked); Twilio's "too many requests" (20429)
 * retried with backoff inside the time budget.
 */
export async function sendSms({ twilio, settings, deadline }: SendContext, sms: OutboundSms): Promise<MessageInstance> {
  const sender = settings.messagingServiceSid
    ? { messagingServiceSid: settings.messagingServiceSid }
    : settings.phoneNumber
      ? { from: settings.phoneNumber }
      : undefined;
  if (!sender) throw new AppError(500, 'not_configured', 'Set MESSAGING_SERVICE_SID or TWILIO_PHONE_NUMBER to send messages');
  if (sms.sendAt && !settings.messagingServiceSid) {
    throw new AppError(500, 'not_configured', 'Scheduling a message needs MESSAGING_SERVICE_SID');
  }
  const params = {
    to: sms.to,
    ...sender,
    ...(sms.body ? { body: sms.body } : {}),
    ...(sms.mediaUrls?.length ? { mediaUrl: [...sms.mediaUrls] } : {}),
    ...(sms.smartEncoded === undefined ? {} : { smartEncoded: sms.smartEncoded }),
    ...(sms.sendAt ? { scheduleType: 'fixed' as const, sendAt: sms.sendAt } : {}),
    ...(sms.track === false ? {} : { statusCallback: statusCallbackUrl(settings) }),
  };
  return retryWithin(() => twilio().messages.create(params), { deadline, retryable: isRetryableTwilioError });
}
