import type { ContentRecord } from '../content/templates';
import { badRequest } from '../http/errors';
import { isAbsoluteHttpUrl } from '../http/urls';
import { MAGIC_FROM, MAGIC_TO, MAGIC_VALID_FROM } from '../magic-numbers';
import { UNSUBSCRIBED_RECIPIENT, type SendAttempt } from '../messaging/opt-outs';
import { isSid } from '../sids';
import { channelOf, isWhatsApp } from '../whatsapp/addresses';
import { shapeWhatsApp } from '../whatsapp/compose';
import { readMessageContent } from './message-content';
import { readSchedule } from './message-schedule';
import type { NewMessage } from './messages';
import { countSegments, smartEncode } from './segments';

/** Twilio's limit on a message body. */
const MAX_BODY_LENGTH = 1600;
/** Twilio's limit on StatusCallback (https://www.twilio.com/docs/api/errors/21609). */
const MAX_STATUS_CALLBACK_LENGTH = 4000;

const E164 = /^\+[1-9]\d{6,14}$/;
/** Alphanumeric sender IDs: up to 11 letters, digits and spaces, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** What validation needs to know about the account. */
export interface CreateContext {
  ownsNumber: (e164: string) => boolean;
  /** True for the account's short codes (SMS senders of 3–8 digits); default none. */
  ownsShortCode?: (code: string) => boolean;
  hasMessagingService: (sid: string) => boolean;
  /** The Content template with this SID (`ContentSid`), if it exists. */
  findContent: (sid: string) => ContentRecord | undefined;
  /** Sandbox-clock time of the request (epoch ms), for SendAt. */
  now: number;
  /** True when the recipient has opted out of this sender / Messaging Service (21610). */
  optedOut: (attempt: SendAttempt) => boolean;
}

/** Strips a channel prefix such as `whatsapp:` from an address. */
export function bareAddress(address: string): string {
  const colon = address.indexOf(':');
  return colon < 0 ? address : address.slice(colon + 1);
}

/**
 * `StatusCallback`, absent (`null`) or valid, else 21609 (https://www.twilio.com/docs/api/errors/21609):
 * "The StatusCallback URL provided is not a valid URL"; it must be a fully qualified http(s) URL of
 * at most 4000 characters whose hostname has no underscores.
 */
function readStatusCallback(form: URLSearchParams): string | null {
  const raw = form.get('StatusCallback') ?? '';
  if (raw === '') return null;
  const valid = raw.length <= MAX_STATUS_CALLBACK_LENGTH && isAbsoluteHttpUrl(raw) && !new URL(raw).hostname.includes('_');
  if (!valid) throw badRequest(21609, `The StatusCallback URL ${raw} is not a valid URL.`);
  return raw;
}

/** The Messages create spec: "Accepted values are integers from `1` to `36000`. Default value is `36000`." */
const MAX_VALIDITY_PERIOD = 36_000;

/**
 * `ValidityPeriod` (seconds a message may wait in Twilio's queue), `null` when absent; out of range
 * or not an integer → 90007 (https://www.twilio.com/docs/api/errors/90007, "Invalid validity period
 * value": "Set the value in whole seconds between 1 and 36,000").
 */
function readValidityPeriod(form: URLSearchParams): number | null {
  const raw = form.get('ValidityPeriod')?.trim() ?? '';
  if (raw === '') return null;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_VALIDITY_PERIOD) {
    throw badRequest(
      90007,
      `Invalid validity period value: ${raw}. It must be a whole number of seconds between 1 and ${MAX_VALIDITY_PERIOD}.`,
    );
  }
  return value;
}

/**
 * Validates a Messages create request in Twilio's order and returns the message to store, or
 * throws the Twilio error (HTTP 400) Twilio would answer with. The opt-out check (21610) comes
 * last: it is about the recipient, not the request.
 */
export function parseCreateMessage(form: URLSearchParams, context: CreateContext): NewMessage {
  const to = form.get('To')?.trim() ?? '';
  const from = form.get('From')?.trim() || null;
  const messagingServiceSid = form.get('MessagingServiceSid')?.trim() || null;
  const rawBody = form.get('Body') ?? '';
  const mediaUrls = form.getAll('MediaUrl').filter((url) => url !== '');
  const smartEncoded = form.get('SmartEncoded')?.toLowerCase() === 'true';

  if (!to) throw badRequest(21604, "A 'To' phone number is required.");
  if (!from && !messagingServiceSid) throw badRequest(21603, "A 'From' phone number is required.");
  if (messagingServiceSid && !isSid(messagingServiceSid, 'MG')) {
    throw badRequest(21705, `The Messaging Service Sid ${messagingServiceSid} is invalid.`);
  }
  if (messagingServiceSid && !context.hasMessagingService(messagingServiceSid)) {
    throw badRequest(21701, `The Messaging Service ${messagingServiceSid} does not exist`);
  }
  const content = readMessageContent(form, context.findContent);
  if (!content && rawBody === '' && mediaUrls.length === 0) throw badRequest(21602, 'Message body is required.');
  if (rawBody.length > MAX_BODY_LENGTH) throw badRequest(21617, 'The concatenated message body exceeds the 1600 character limit.');

  const toNumber = bareAddress(to);
  const magicTo = MAGIC_TO[toNumber];
  if (magicTo) throw badRequest(magicTo.code, magicTo.message);
  if (!E164.test(toNumber)) throw badRequest(21211, `Invalid 'To' Phone Number: ${to}`);
  const whatsApp = isWhatsApp(to);

  if (from) {
    const fromNumber = bareAddress(from);
    const magicFrom = MAGIC_FROM[fromNumber];
    if (magicFrom) throw badRequest(magicFrom.code, magicFrom.message);
    // https://www.twilio.com/docs/api/errors/21910
    if (channelOf(from) !== channelOf(to)) {
      throw badRequest(21910, "Invalid 'From' and 'To' pair. 'From' and 'To' should be of the same channel");
    }
    const ownedOrMagic = fromNumber === MAGIC_VALID_FROM || context.ownsNumber(fromNumber);
    if (whatsApp && !ownedOrMagic) {
      // https://www.twilio.com/docs/api/errors/63007: the account's numbers are its WhatsApp senders.
      throw badRequest(63007, `Twilio could not find a Channel with the specified From address: ${from}`);
    }
    const ownedShortCode = !whatsApp && (context.ownsShortCode?.(from) ?? false);
    const validSender = ownedOrMagic || ownedShortCode || (from === fromNumber && ALPHANUMERIC_SENDER.test(from));
    if (!validSender) {
      throw badRequest(
        21606,
        `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination/account.`,
      );
    }
    if (fromNumber === toNumber) {
      if (whatsApp) throw badRequest(63031, "Channels message cannot have same 'From' and 'To'");
      throw badRequest(21266, "'To' and 'From' number cannot be the same");
    }
  }

  const statusCallback = readStatusCallback(form);
  const validityPeriod = readValidityPeriod(form);
  const sendAt = readSchedule(form, messagingServiceSid, context.now);
  if (context.optedOut({ to, from, messagingServiceSid })) throw badRequest(UNSUBSCRIBED_RECIPIENT.code, UNSUBSCRIBED_RECIPIENT.message);
  // A template replaces Body and MediaUrl (the 63016 page: "Remove Body and MediaUrl when you send a content template").
  const text = content ? content.rendered.body : rawBody;
  const body = smartEncoded && !whatsApp ? smartEncode(text) : text;
  const media = content ? content.rendered.mediaUrls : mediaUrls;
  const shape = whatsApp
    ? shapeWhatsApp(body, media, content !== null)
    : { mediaUrls: media, numSegments: countSegments(body), deferredError: null };
  return {
    direction: 'outbound-api',
    to,
    from,
    body,
    mediaUrls: shape.mediaUrls,
    messagingServiceSid,
    statusCallback,
    numSegments: shape.numSegments,
    contentSid: content?.contentSid ?? null,
    templateSend: content?.canStartConversation ?? false,
    deferredError: shape.deferredError,
    sendAt,
    validityPeriod,
    // Through a Messaging Service Twilio first accepts (or schedules), then queues with a sender.
    status: sendAt !== null ? 'scheduled' : messagingServiceSid ? 'accepted' : 'queued',
  };
}
