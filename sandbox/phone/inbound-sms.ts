import type { PhoneNumberRecord, PhoneNumberStore } from '../api/incoming-phone-numbers';
import { startOutboundLifecycle, type LifecycleDeps } from '../api/message-lifecycle';
import type { MessageRecord, MessageStore } from '../api/messages';
import { countSegments } from '../api/segments';
import { ControlError } from '../control/errors';
import { readMessagingTwiml, TwimlError, type TwimlMessage } from '../twiml/messaging';
import type { DeliveryResult, WebhookDispatcher, WebhookMethod } from '../webhooks/dispatcher';
import { isWhatsApp } from '../whatsapp/addresses';
import { shapeWhatsApp } from '../whatsapp/compose';
import { geoParams } from './geo';

export interface InboundSms {
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
}

export interface InboundSmsReply {
  sid: string;
  from: string | null;
  to: string;
  body: string;
  mediaUrls: string[];
}

export interface InboundSmsResult {
  messageSid: string;
  webhook: { url: string; method: string; status: number | null; contentType: string | null; body: string; error?: string };
  replies: InboundSmsReply[];
  /** Set when Twilio could not execute the answer (12100 malformed TwiML, 12300 wrong content type). */
  twimlError?: { code: number; message: string };
  warnings: string[];
}

export interface InboundSmsDeps {
  accountSid: string;
  messages: MessageStore;
  phoneNumbers: PhoneNumberStore;
  dispatcher: WebhookDispatcher;
  lifecycle: LifecycleDeps;
}

/** Media types the sandbox reports for inbound media, guessed from the URL's extension. */
function contentTypeOf(url: string): string {
  const ext = /\.([a-z0-9]+)(?:\?|#|$)/i.exec(url)?.[1]?.toLowerCase();
  const known: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', mp4: 'video/mp4', pdf: 'application/pdf' };
  return (ext && known[ext]) || 'application/octet-stream';
}

/** Twilio's full inbound-SMS webhook parameter set. */
export function inboundSmsParams(accountSid: string, m: MessageRecord): Record<string, string> {
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
    params[`MediaContentType${i}`] = contentTypeOf(url);
  });
  return params;
}

/**
 * Plays a phone texting one of the account's numbers: records the inbound message, delivers
 * the signed webhook to the number's SmsUrl, and turns each `<Message>` of the TwiML answer
 * into an outbound-reply message with the normal lifecycle.
 */
export async function receiveInboundSms(input: InboundSms, deps: InboundSmsDeps): Promise<InboundSmsResult> {
  const number = numberWithSmsUrl(input.to, deps);
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
  return deliverInbound(inbound, number, inboundSmsParams(deps.accountSid, inbound), deps);
}

/** The account's number `to` (any channel prefix stripped) with its SmsUrl set, or a ControlError. */
export function numberWithSmsUrl(to: string, deps: InboundSmsDeps, otherUrl?: (phoneNumber: string) => string | undefined): PhoneNumberRecord {
  const number = deps.phoneNumbers.byPhoneNumber(to.replace(/^[a-z]+:/, ''));
  if (!number) throw new ControlError(404, 'unknown_number', `${to} is not a phone number of this account`);
  if (!number.smsUrl && !otherUrl?.(number.phoneNumber)) throw new ControlError(409, 'no_sms_url', `${to} has no SmsUrl configured (update the IncomingPhoneNumber first)`);
  return number;
}

/**
 * Delivers an inbound message's webhook (signed, with `params`) to the number's SmsUrl, reads
 * the TwiML answer and sends each `<Message>` as an outbound reply.
 */
export async function deliverInbound(
  inbound: MessageRecord,
  number: PhoneNumberRecord,
  params: Record<string, string>,
  deps: InboundSmsDeps,
  target: { url: string; method: WebhookMethod } = { url: number.smsUrl, method: number.smsMethod },
): Promise<InboundSmsResult> {
  const delivery = await deps.dispatcher.deliver({ url: target.url, method: target.method, params });
  const result: InboundSmsResult = {
    messageSid: inbound.sid,
    webhook: { url: target.url, method: target.method, status: delivery.status, contentType: delivery.contentType, body: delivery.body },
    replies: [],
    warnings: [],
  };
  if (delivery.error) result.webhook.error = delivery.error;
  if (!isSuccess(delivery) || delivery.body.trim() === '') return result;

  if (delivery.contentType && !/xml|html/i.test(delivery.contentType)) {
    result.twimlError = { code: 12300, message: `Invalid Content-Type: ${delivery.contentType}` };
    return result;
  }
  try {
    const twiml = readMessagingTwiml(delivery.body);
    result.warnings = twiml.warnings;
    result.replies = twiml.messages.map((reply) => sendReply(reply, inbound, deps));
  } catch (error) {
    if (!(error instanceof TwimlError)) throw error;
    result.twimlError = { code: error.code, message: error.message };
  }
  return result;
}

function isSuccess(delivery: DeliveryResult): boolean {
  return delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
}

function sendReply(reply: TwimlMessage, inbound: MessageRecord, deps: InboundSmsDeps): InboundSmsReply {
  const to = reply.to ?? inbound.from ?? '';
  const shape = isWhatsApp(to) ? shapeWhatsApp(reply.body, reply.mediaUrls, false) : { mediaUrls: reply.mediaUrls, numSegments: countSegments(reply.body), deferredError: null };
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
  startOutboundLifecycle(message, deps.lifecycle);
  return { sid: message.sid, from: message.from, to: message.to, body: message.body, mediaUrls: [...message.mediaUrls] };
}
