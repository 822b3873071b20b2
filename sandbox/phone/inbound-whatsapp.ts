import type { MessageRecord } from '../api/messages';
import { ControlError } from '../control/errors';
import { toWhatsApp, waIdOf } from '../whatsapp/addresses';
import { messageTypeOf, whatsAppContentTypeOf } from '../whatsapp/limits';
import type { ConversationWindows } from '../whatsapp/window';
import type { WhatsAppWebhooks } from '../whatsapp/webhooks';
import {
  accountNumber,
  applyOptKeyword,
  deliverInbound,
  requireSmsUrl,
  smsRoute,
  withOptOut,
  type InboundConversationResult,
  type InboundSmsDeps,
  type InboundSmsResult,
} from './inbound-sms';

export interface InboundWhatsApp {
  /** The user's number, `+E164` or `whatsapp:+E164`. */
  from: string;
  /** One of the account's numbers (its WhatsApp sender), with or without `whatsapp:`. */
  to: string;
  body: string;
  mediaUrls: string[];
  /** Content types of `mediaUrls`, by index; default guessed from the URL's extension. */
  mediaContentTypes: string[];
  /** The user's WhatsApp profile name; default `WhatsApp User` (the sandbox's choice). */
  profileName?: string;
}

export interface InboundWhatsAppDeps extends InboundSmsDeps {
  windows: ConversationWindows;
  whatsappWebhooks: WhatsAppWebhooks;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const DEFAULT_PROFILE_NAME = 'WhatsApp User';

/**
 * Twilio's inbound WhatsApp webhook parameters (https://www.twilio.com/docs/messaging/guides/webhook-request):
 * the messaging set with `whatsapp:` addresses, plus ProfileName, WaId (the sender's digits) and
 * MessageType; no geographic fields (WhatsApp gives none).
 */
function inboundWhatsAppParams(
  accountSid: string,
  m: MessageRecord,
  profileName: string,
  contentTypes: readonly string[],
): Record<string, string> {
  const params: Record<string, string> = {
    SmsMessageSid: m.sid,
    NumMedia: String(m.mediaUrls.length),
    ProfileName: profileName,
    MessageType: messageTypeOf(contentTypes[0]),
    SmsSid: m.sid,
    WaId: waIdOf(m.from ?? ''),
    SmsStatus: 'received',
    Body: m.body,
    To: m.to,
    NumSegments: String(m.numSegments),
    ReferralNumMedia: '0',
    MessageSid: m.sid,
    AccountSid: accountSid,
    From: m.from ?? '',
    ApiVersion: '2010-04-01',
  };
  m.mediaUrls.forEach((url, i) => {
    params[`MediaUrl${i}`] = url;
    params[`MediaContentType${i}`] = contentTypes[i];
  });
  return params;
}

/**
 * Plays a WhatsApp user writing to one of the account's numbers: records the inbound message
 * (`whatsapp:` addresses), opens or refreshes the user's 24-hour window for that sender, posts
 * the signed webhook to the sender's WhatsApp webhook (falling back to the number's SmsUrl) and sends each TwiML `<Message>` as a WhatsApp reply (inside the window).
 */
export async function receiveInboundWhatsApp(
  input: InboundWhatsApp,
  deps: InboundWhatsAppDeps,
): Promise<InboundSmsResult | InboundConversationResult> {
  const userNumber = input.from.replace(/^whatsapp:/, '');
  if (!E164.test(userNumber)) throw new ControlError(400, 'invalid_request', '"from" must be +E164 or whatsapp:+E164');
  const number = accountNumber(input.to, deps);
  const webhook = deps.whatsappWebhooks.get(number.phoneNumber);
  // A Messaging Service's Advanced Opt-Out keywords (the only ones Twilio applies on WhatsApp), before the webhook.
  const optOut = applyOptKeyword(input.body, userNumber, number.phoneNumber, 'whatsapp', deps);
  // Open on receipt, before any webhook, so what the application sends while answering it is inside the window: "A messaging session starts when a user sends your application a message" (https://support.twilio.com/hc/en-us/articles/360017773294-Rules-and-Best-Practices-for-WhatsApp-Messaging-on-Twilio).
  deps.windows.open(number.phoneNumber, userNumber, deps.now());
  // A number whose WhatsApp Address Configuration autocreates (or a pair bound in an open conversation) gives it to Conversations.
  const conversation = await deps.conversations?.(userNumber, number.phoneNumber, input.body, 'whatsapp');
  if (!conversation) requireSmsUrl(number, input.to, optOut, webhook);
  const contentTypes = input.mediaUrls.map((url, i) => input.mediaContentTypes[i] ?? whatsAppContentTypeOf(url));
  const inbound = deps.messages.add({
    direction: 'inbound',
    to: toWhatsApp(number.phoneNumber),
    from: toWhatsApp(userNumber),
    body: input.body,
    mediaUrls: input.mediaUrls,
    mediaContentTypes: contentTypes,
    messagingServiceSid: null,
    statusCallback: null,
    numSegments: 1,
    status: 'received',
  });
  if (conversation) return { messageSid: inbound.sid, conversation, ...(optOut ? { optOut } : {}) };
  const params = inboundWhatsAppParams(deps.accountSid, inbound, input.profileName ?? DEFAULT_PROFILE_NAME, contentTypes);
  // Advanced Opt-Out's keywords reach the webhook "with an extra parameter OptOutType" (https://support.twilio.com/hc/en-us/articles/360034798533), WhatsApp senders of the service included.
  if (optOut?.advanced) params.OptOutType = optOut.type;
  // The sender's own webhook has no fallback setting in the sandbox; the number's SmsUrl brings its SmsFallbackUrl.
  const route = webhook ? { target: { url: webhook, method: 'POST' as const }, fallback: null } : smsRoute(number);
  return withOptOut(await deliverInbound(inbound, number, params, deps, route), optOut);
}
