import { mediaContentTypeOf } from '../api/media';
import type { PhoneNumberRecord, PhoneNumberStore } from '../api/incoming-phone-numbers';
import { startOutboundLifecycle, type LifecycleDeps } from '../api/message-lifecycle';
import type { MessageRecord, MessageStore } from '../api/messages';
import { countSegments } from '../api/segments';
import { ControlError } from '../control/errors';
import { customReply, type AdvancedOptOutStore } from '../messaging/advanced-opt-out';
import {
  classifyOptKeyword,
  HELP_REPLY,
  OPT_IN_CONFIRMATION,
  OPT_OUT_CONFIRMATION,
  TOLL_FREE_OPT_OUT_REPLY,
  tollFreeOptInReply,
  UNSUBSCRIBED_RECIPIENT,
  type OptKeyword,
  type OptOutChannel,
  type OptOutRegistry,
} from '../messaging/opt-outs';
import type { TwimlMessage } from '../twiml/messaging';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import { isWhatsApp } from '../whatsapp/addresses';
import { shapeWhatsApp } from '../whatsapp/compose';
import { geoParams } from './geo';
import type { MessagingFallbackView, MessagingRequestView } from './messaging-webhook';
import { walkMessagingTwiml, type InboundRoute } from './messaging-walk';
import { isTollFree } from '../messaging/throughput';

export interface InboundSms {
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
}

interface InboundSmsReply {
  sid: string;
  from: string | null;
  to: string;
  body: string;
  mediaUrls: string[];
  /** Set when the reply will not be delivered: 21610, the recipient opted out of its sender. */
  error?: { code: number; message: string };
}

/** What Twilio did itself with an opt-out / opt-in / help keyword, before the webhook. */
export interface OptOutResult extends OptKeyword {
  /** What the keyword applied to: the number's Messaging Services, else the number. */
  senders: string[];
  /** Twilio's automatic reply the user's phone receives (SMS only; not recorded as a Message), or `null`. */
  confirmation: string | null;
  /** Set when the number's Messaging Service has Advanced Opt-Out: the webhook then carries `OptOutType`. */
  advanced?: true;
}

export interface InboundSmsResult {
  messageSid: string;
  /** The request to the primary URL (SmsUrl, or the WhatsApp sender's webhook). */
  webhook: MessagingRequestView;
  /** Set when the primary request or its TwiML failed and the number has an SmsFallbackUrl. */
  fallback?: MessagingFallbackView;
  /** One request per `<Redirect>` followed, in order (absent when none). */
  redirects?: MessagingRequestView[];
  /** Set when the `<Redirect>` chain was longer than MAX_MESSAGING_REDIRECTS (then not followed). */
  redirectLimit?: true;
  replies: InboundSmsReply[];
  /** Set when Twilio could not execute the last document (12100 malformed TwiML, 12300 wrong content type, 11100 bad Redirect URL). */
  twimlError?: { code: number; message: string };
  /** Set when the body was an opt-out or opt-in keyword (applied before the webhook). */
  optOut?: OptOutResult;
  warnings: string[];
}

/**
 * Where an inbound message went instead of the SmsUrl: a conversation (an open binding of the pair,
 * or autocreation). `rejected` names the pre-action event whose webhook refused it (then
 * `conversationMessageSid` is `null`, and the SIDs of what was not created too).
 */
export interface ConversationRouting {
  conversationSid: string | null;
  participantSid: string | null;
  conversationMessageSid: string | null;
  autocreated: boolean;
  rejected?: string;
}

/** The answer when Conversations took the message: no SmsUrl request is made. */
export interface InboundConversationResult {
  messageSid: string;
  conversation: ConversationRouting;
  optOut?: OptOutResult;
}

export interface InboundSmsDeps {
  /** Conversations' claim on an inbound message (conversations/inbound.ts); `undefined` = the number's webhook gets it. */
  conversations?: (from: string, to: string, body: string, channel: 'sms' | 'whatsapp') => Promise<ConversationRouting | undefined>;
  accountSid: string;
  messages: MessageStore;
  phoneNumbers: PhoneNumberStore;
  dispatcher: WebhookDispatcher;
  lifecycle: LifecycleDeps;
  optOuts: OptOutRegistry;
  /** Messaging Services' Advanced Opt-Out settings (custom keywords and replies); none: Twilio's defaults. */
  advancedOptOut?: AdvancedOptOutStore;
  /** Sandbox-clock time (epoch ms). */
  now: () => number;
}

/** Twilio's full inbound-SMS webhook parameter set. */
function inboundSmsParams(accountSid: string, m: MessageRecord): Record<string, string> {
  const params: Record<string, string> = {
    ...geoParams('To', m.to),
    ...geoParams('From', m.from ?? ''),
    SmsMessageSid: m.sid,
    NumMedia: String(m.mediaUrls.length),
    SmsSid: m.sid,
    SmsStatus: 'received',
    Body: m.body,
    To: m.to,
    NumSegments: String(m.numSegments),
    MessageSid: m.sid,
    AccountSid: accountSid,
    From: m.from ?? '',
    ApiVersion: '2010-04-01',
  };
  if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
  m.mediaUrls.forEach((url, i) => {
    params[`MediaUrl${i}`] = url;
    params[`MediaContentType${i}`] = m.media[i]?.contentType ?? mediaContentTypeOf(url);
  });
  return params;
}

/**
 * Plays a phone texting one of the account's numbers: records the inbound message, delivers
 * the signed webhook to the number's SmsUrl, and turns each `<Message>` of the TwiML answer
 * into an outbound-reply message with the normal lifecycle.
 */
export async function receiveInboundSms(input: InboundSms, deps: InboundSmsDeps): Promise<InboundSmsResult | InboundConversationResult> {
  const number = accountNumber(input.to, deps);
  const optOut = applyOptKeyword(input.body, input.from, number.phoneNumber, 'sms', deps);
  const conversation = await deps.conversations?.(input.from, number.phoneNumber, input.body, 'sms');
  if (!conversation) requireSmsUrl(number, input.to, optOut);
  const inbound = deps.messages.add({
    direction: 'inbound',
    to: input.to,
    from: input.from,
    body: input.body,
    mediaUrls: input.mediaUrls,
    messagingServiceSid: null,
    statusCallback: null,
    numSegments: countSegments(input.body),
    status: 'received',
  });
  if (conversation) return { messageSid: inbound.sid, conversation, ...(optOut ? { optOut } : {}) };
  const params = inboundSmsParams(deps.accountSid, inbound);
  if (optOut?.advanced) params.OptOutType = optOut.type;
  return withOptOut(await deliverInbound(inbound, number, params, deps), optOut);
}

/** The account's number `to` (any channel prefix stripped), or a 404 ControlError. */
export function accountNumber(to: string, deps: Pick<InboundSmsDeps, 'phoneNumbers'>): PhoneNumberRecord {
  const number = deps.phoneNumbers.byPhoneNumber(to.replace(/^[a-z]+:/, ''));
  if (!number) throw new ControlError(404, 'unknown_number', `${to} is not a phone number of this account`);
  return number;
}

/** A 409 ControlError unless the number has an SmsUrl (or the `otherUrl` the channel uses instead). */
export function requireSmsUrl(number: PhoneNumberRecord, to: string, optOut: OptOutResult | undefined, otherUrl?: string): void {
  if (number.smsUrl || otherUrl) return;
  // Twilio: "the block works and is logged even if your number currently has no messaging request URL".
  const applied = optOut && optOut.type !== 'HELP' ? ` (the ${optOut.keyword} keyword was applied all the same, as Twilio does)` : '';
  throw new ControlError(409, 'no_sms_url', `${to} has no SmsUrl configured (update the IncomingPhoneNumber first)${applied}`);
}

/**
 * Twilio's own handling of an opt-out / opt-in / help keyword `user` texted to the account's
 * `number` (its Messaging Service's Advanced Opt-Out keywords first): applied before the message
 * reaches the webhook, so the webhook's TwiML replies are judged after it; the automatic reply is
 * the service's custom one, else Twilio's default, and on a toll-free number the carrier's own
 * (STOP / START cannot be customized there, and an opted-out user gets no HELP reply).
 */
export function applyOptKeyword(
  body: string,
  user: string,
  number: string,
  channel: OptOutChannel,
  deps: Pick<InboundSmsDeps, 'optOuts' | 'now' | 'advancedOptOut'>,
): OptOutResult | undefined {
  const custom = deps.advancedOptOut?.configOf(deps.optOuts.scopesOf(number));
  // Twilio's default keyword handling is for "Toll-Free and Long Code messages" (https://help.twilio.com/hc/en-us/articles/223134027-Twilio-support-for-opt-out-keywords-SMS-STOP-filtering-), unified "across RCS, SMS, and MMS channels" (https://www.twilio.com/en-us/changelog/twilio-now-supports-unified-opt-outs-across-rcs--sms--and-mms-ch), not WhatsApp, where "WhatsApp also requires businesses to respect opt-out requests" (https://www.twilio.com/docs/whatsapp/api): only a service's Advanced Opt-Out reaches WhatsApp senders (see messaging/opt-outs).
  if (channel === 'whatsapp' && !custom) return undefined;
  const keyword = classifyOptKeyword(body, custom);
  // Twilio documents no HELP handling on WhatsApp.
  if (!keyword || (keyword.type === 'HELP' && channel !== 'sms')) return undefined;
  const optedOut = deps.optOuts.blocks({ to: user, from: number, messagingServiceSid: null });
  const senders = deps.optOuts.apply(keyword, user, number, channel, deps.now());
  const tollFree = isTollFree(number);
  const ownReply = custom && customReply(custom, keyword.type);
  const confirmation =
    // Twilio documents its automatic replies for SMS; none for WhatsApp.
    channel !== 'sms'
      ? null
      : keyword.type === 'STOP'
        ? tollFree
          ? TOLL_FREE_OPT_OUT_REPLY
          : (ownReply ?? OPT_OUT_CONFIRMATION)
        : keyword.type === 'START'
          ? tollFree
            ? tollFreeOptInReply(keyword.keyword)
            : (ownReply ?? OPT_IN_CONFIRMATION)
          : tollFree && optedOut
            ? null
            : (ownReply ?? HELP_REPLY);
  return { ...keyword, senders, confirmation, ...(custom ? { advanced: true as const } : {}) };
}

export function withOptOut(result: InboundSmsResult, optOut: OptOutResult | undefined): InboundSmsResult {
  return optOut ? { ...result, optOut } : result;
}

/** The number's SmsUrl, with its SmsFallbackUrl when set. */
export function smsRoute(number: PhoneNumberRecord): InboundRoute {
  return {
    target: { url: number.smsUrl, method: number.smsMethod },
    fallback: number.smsFallbackUrl ? { url: number.smsFallbackUrl, method: number.smsFallbackMethod } : null,
  };
}

/**
 * Delivers an inbound message's webhook (signed, with `params`) to the route's URL and walks the
 * TwiML (the fallback URL's when the first cannot be retrieved or executed, then each
 * `<Redirect>`), sending each `<Message>` as an outbound reply.
 */
export async function deliverInbound(
  inbound: MessageRecord,
  number: PhoneNumberRecord,
  params: Record<string, string>,
  deps: InboundSmsDeps,
  route: InboundRoute = smsRoute(number),
): Promise<InboundSmsResult> {
  const replies: InboundSmsReply[] = [];
  const walk = await walkMessagingTwiml(route, params, deps.dispatcher, (twiml, warnings) => {
    replies.push(...twiml.messages.map((reply) => sendReply(reply, inbound, deps, warnings)));
  });
  const result: InboundSmsResult = { messageSid: inbound.sid, webhook: walk.webhook, replies, warnings: walk.warnings };
  if (walk.fallback) result.fallback = walk.fallback;
  if (walk.redirects.length > 0) result.redirects = walk.redirects;
  if (walk.redirectLimit) result.redirectLimit = true;
  if (walk.failure && isTwimlFailure(walk.failure.code)) result.twimlError = { code: walk.failure.code, message: walk.failure.message };
  return result;
}

/** Twilio's errors about the document itself (11100 bad Redirect URL, 12100 parse failure, 12300 content type), not its retrieval. */
function isTwimlFailure(code: number): boolean {
  return code === 11100 || (code >= 12000 && code < 13000);
}

/**
 * One `<Message>` as an outbound-reply message with the normal lifecycle. A reply to a user who
 * opted out of its sender is created and then fails with 21610 like any other send (Twilio
 * documents no exception for TwiML replies; its own confirmation is not a TwiML reply).
 */
function sendReply(reply: TwimlMessage, inbound: MessageRecord, deps: InboundSmsDeps, warnings: string[]): InboundSmsReply {
  const to = reply.to ?? inbound.from ?? '';
  const shape = isWhatsApp(to)
    ? shapeWhatsApp(reply.body, reply.mediaUrls, false)
    : { mediaUrls: reply.mediaUrls, numSegments: countSegments(reply.body), deferredError: null };
  const message = deps.messages.add({
    direction: 'outbound-reply',
    to,
    from: reply.from ?? inbound.to,
    body: reply.body,
    mediaUrls: shape.mediaUrls,
    messagingServiceSid: null,
    // Twilio posts the reply's status to `action` (or `statusCallback`) like a status callback.
    statusCallback: reply.statusCallback ?? reply.action ?? null,
    numSegments: shape.numSegments,
    deferredError: shape.deferredError,
    status: 'queued',
  });
  const blocked = deps.optOuts.blocks(message);
  startOutboundLifecycle(message, deps.lifecycle);
  const answer: InboundSmsReply = {
    sid: message.sid,
    from: message.from,
    to: message.to,
    body: message.body,
    mediaUrls: [...message.mediaUrls],
  };
  if (!blocked) return answer;
  warnings.push(
    `<Message> to ${message.to} fails with ${UNSUBSCRIBED_RECIPIENT.code}: the recipient opted out of ${message.from ?? 'its sender'}`,
  );
  return { ...answer, error: { code: UNSUBSCRIBED_RECIPIENT.code, message: UNSUBSCRIBED_RECIPIENT.message } };
}
