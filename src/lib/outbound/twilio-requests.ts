// The only module that asks Twilio to send a message or place a call (a test keeps it so). Its
// functions are called by the gate alone, after consent, geography and limits are cleared.
import type { CallInstance } from 'twilio/lib/rest/api/v2010/account/call';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import type { MessageInstance as ThreadMessageInstance } from 'twilio/lib/rest/conversations/v1/service/conversation/message';
import type { Settings } from '../config/settings';
import { AppError } from '../errors/app-error';
import { isTwilioRestError } from '../errors/twilio-errors';
import type { Deadline } from '../runtime/deadline';
import { withCallbackRetries } from '../twilio/connection-overrides';
import { repeatable, sentOnce } from '../twilio/request-policy';
import type { TwilioClient } from '../twilio/sdk';
import { twilioAddress, type MessagingChannel } from './address';

export interface OutboundMessage {
  /** E.164; WhatsApp addressing (`whatsapp:`) is added here for channel whatsapp. */
  to: string;
  channel: MessagingChannel;
  /** E.164 of our number that must send it (an answer from the number the person wrote to); default the configured sender. */
  from?: string;
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
  /**
   * A message to a recipient someone outside chose is never re-sent automatically (a spoofed,
   * unreachable caller ID would otherwise be texted again and again): its status callback says so.
   */
  resendable?: boolean;
  /** A campaign id, carried on the status callback URL so deliveries are counted per campaign. */
  campaign?: string;
}

export interface OutboundCall {
  /** E.164. */
  to: string;
  /** What the callee hears. */
  twiml: string;
  statusCallback: string;
  machineDetection: boolean;
}

/** A message added to a Conversation: Twilio delivers it to each of its messaging participants. */
export interface ThreadMessage {
  serviceSid: string;
  conversationSid: string;
  author: string;
  body?: string;
  contentSid?: string;
  contentVariables?: Record<string, string>;
  /** Send the template (contentSid) rather than the body: a WhatsApp participant is outside its window. */
  template: boolean;
  /** The message's `Attributes` (JSON text), e.g. the tag a retry reconciles by. */
  attributes?: string;
}

export interface SendContext {
  /** A property, not a method: callers destructure it. */
  readonly twilio: () => TwilioClient;
  settings: Settings;
  deadline: Deadline;
}

/**
 * Where our status callbacks go. The query carries what the callback must know and Twilio signs:
 * `resend=no` for a message that must never be re-sent, `campaign=<id>` for a campaign's message;
 * the fragment asks Twilio to retry a callback that failed.
 */
function statusCallbackUrl(settings: Settings, { resendable = true, campaign }: { resendable?: boolean; campaign?: string } = {}): string {
  const query = new URLSearchParams({ ...(resendable ? {} : { resend: 'no' }), ...(campaign ? { campaign } : {}) }).toString();
  return withCallbackRetries(`${settings.publicBaseUrl}/sms/status${query ? `?${query}` : ''}`);
}

const notConfigured = (message: string) => new AppError(500, 'not_configured', message);

/** The sender: the Messaging Service when set, else our number (WHATSAPP_FROM for WhatsApp). */
function senderFor(settings: Settings, channel: MessagingChannel): { messagingServiceSid: string } | { from: string } {
  if (settings.messagingServiceSid) return { messagingServiceSid: settings.messagingServiceSid };
  const number = channel === 'whatsapp' ? (settings.whatsappFrom ?? settings.phoneNumber) : settings.phoneNumber;
  if (!number) throw notConfigured('Set MESSAGING_SERVICE_SID or TWILIO_PHONE_NUMBER to send messages');
  return { from: twilioAddress(channel, number) };
}

/**
 * Messages create, SMS and WhatsApp alike: through MESSAGING_SERVICE_SID when set, else from our
 * number; status callbacks to /sms/status (unless untracked); Twilio's "too many requests"
 * (20429, WhatsApp's 63018) retried with backoff inside the time budget.
 */
export async function createMessage({ twilio, settings, deadline }: SendContext, message: OutboundMessage): Promise<MessageInstance> {
  const sender = message.from ? { from: twilioAddress(message.channel, message.from) } : senderFor(settings, message.channel);
  if (message.sendAt && !settings.messagingServiceSid) throw notConfigured('Scheduling a message needs MESSAGING_SERVICE_SID');
  const params = {
    to: twilioAddress(message.channel, message.to),
    ...sender,
    ...(message.contentSid ? { contentSid: message.contentSid, contentVariables: JSON.stringify(message.contentVariables ?? {}) } : {}),
    ...(message.body ? { body: message.body } : {}),
    ...(message.mediaUrls?.length ? { mediaUrl: [...message.mediaUrls] } : {}),
    ...(message.smartEncoded === undefined ? {} : { smartEncoded: message.smartEncoded }),
    ...(message.sendAt ? { scheduleType: 'fixed' as const, sendAt: message.sendAt } : {}),
    ...(message.track === false
      ? {}
      : { statusCallback: statusCallbackUrl(settings, { resendable: message.resendable !== false, campaign: message.campaign }) }),
  };
  return sentOnce(deadline, () => twilio().messages.create(params));
}

/** Conversation Messages create: the template when asked, else the body. */
export async function createThreadMessage({ twilio, deadline }: SendContext, message: ThreadMessage): Promise<ThreadMessageInstance> {
  const params = message.template
    ? {
        author: message.author,
        contentSid: message.contentSid,
        ...(message.contentVariables ? { contentVariables: JSON.stringify(message.contentVariables) } : {}),
      }
    : { author: message.author, body: message.body };
  const attributes = message.attributes === undefined ? {} : { attributes: message.attributes };
  const thread = twilio().conversations.v1.services(message.serviceSid).conversations(message.conversationSid);
  return sentOnce(deadline, () => thread.messages.create({ ...params, ...attributes }));
}

/** Calls create from TWILIO_PHONE_NUMBER with status callbacks (and answering-machine detection when asked). */
export async function createCall({ twilio, settings, deadline }: SendContext, call: OutboundCall): Promise<CallInstance> {
  if (!settings.phoneNumber) throw notConfigured('Set TWILIO_PHONE_NUMBER to place calls');
  const params = {
    to: call.to,
    from: settings.phoneNumber,
    twiml: call.twiml,
    statusCallback: call.statusCallback,
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    statusCallbackMethod: 'POST' as const,
    ...(call.machineDetection ? { machineDetection: 'Enable' } : {}),
  };
  return sentOnce(deadline, () => twilio().calls.create(params));
}

/** Twilio's answers to canceling a message that is no longer scheduled (30409) or gone (20404). */
const NOT_CANCELABLE: ReadonlySet<number> = new Set([30409, 20404]);

/** Cancels a scheduled message (Messages update `Status=canceled`); false when it had already gone or been canceled. */
export async function cancelScheduledMessage({ twilio, deadline }: SendContext, sid: string): Promise<boolean> {
  try {
    await repeatable(deadline, () => twilio().messages(sid).update({ status: 'canceled' }));
    return true;
  } catch (error) {
    if (isTwilioRestError(error) && error.code !== undefined && NOT_CANCELABLE.has(error.code)) return false;
    throw error;
  }
}
