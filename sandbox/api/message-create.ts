import { badRequest } from '../http/errors';
import { MAGIC_FROM, MAGIC_TO, MAGIC_VALID_FROM } from '../magic-numbers';
import { isSid } from '../sids';
import { readSchedule } from './message-schedule';
import type { NewMessage } from './messages';
import { countSegments, smartEncode } from './segments';

/** Twilio's limit on a message body. */
export const MAX_BODY_LENGTH = 1600;

const E164 = /^\+[1-9]\d{6,14}$/;
/** Alphanumeric sender IDs: up to 11 letters, digits and spaces, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** What validation needs to know about the account. */
export interface CreateContext {
  ownsNumber: (e164: string) => boolean;
  hasMessagingService: (sid: string) => boolean;
  /** Sandbox-clock time of the request (epoch ms), for SendAt. */
  now: number;
}

/** Strips a channel prefix such as `whatsapp:` from an address. */
export function bareAddress(address: string): string {
  const colon = address.indexOf(':');
  return colon < 0 ? address : address.slice(colon + 1);
}

/**
 * Validates a Messages create request in Twilio's order and returns the message to store, or
 * throws the Twilio error (HTTP 400) Twilio would answer with.
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
  if (rawBody === '' && mediaUrls.length === 0) throw badRequest(21602, 'Message body is required.');
  if (rawBody.length > MAX_BODY_LENGTH) throw badRequest(21617, 'The concatenated message body exceeds the 1600 character limit.');

  const toNumber = bareAddress(to);
  const magicTo = MAGIC_TO[toNumber];
  if (magicTo) throw badRequest(magicTo.code, magicTo.message);
  if (!E164.test(toNumber)) throw badRequest(21211, `Invalid 'To' Phone Number: ${to}`);

  if (from) {
    const fromNumber = bareAddress(from);
    const magicFrom = MAGIC_FROM[fromNumber];
    if (magicFrom) throw badRequest(magicFrom.code, magicFrom.message);
    const validSender = fromNumber === MAGIC_VALID_FROM || context.ownsNumber(fromNumber) || (from === fromNumber && ALPHANUMERIC_SENDER.test(from));
    if (!validSender) {
      throw badRequest(21606, `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination/account.`);
    }
    if (fromNumber === toNumber) throw badRequest(21266, "'To' and 'From' number cannot be the same");
  }

  const sendAt = readSchedule(form, messagingServiceSid, context.now);
  const body = smartEncoded ? smartEncode(rawBody) : rawBody;
  return {
    direction: 'outbound-api',
    to,
    from,
    body,
    mediaUrls,
    messagingServiceSid,
    statusCallback: form.get('StatusCallback') || null,
    numSegments: countSegments(body),
    sendAt,
    // Through a Messaging Service Twilio first accepts (or schedules), then queues with a sender.
    status: sendAt !== null ? 'scheduled' : messagingServiceSid ? 'accepted' : 'queued',
  };
}
