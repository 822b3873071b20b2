import { badRequest } from '../errors/app-error';
import { optionalString, requiredString, type Params } from '../http/params';
import type { InboundMessage } from '../stores/inbox';

const MAX_MEDIA = 10;

/** The inbound message Twilio posted (From, To, Body, MessageSid, NumMedia, MediaUrl{N}, ProfileName for WhatsApp, OptOutType with Advanced Opt-Out, ...). */
export function readInboundMessage(params: Params, now = new Date()): InboundMessage {
  const sid = requiredString(params, 'MessageSid', { maxLength: 64 });
  const numMedia = Number(optionalString(params, 'NumMedia') ?? '0');
  if (!Number.isInteger(numMedia) || numMedia < 0 || numMedia > MAX_MEDIA) {
    throw badRequest('invalid_parameter', `"NumMedia" must be a whole number from 0 to ${MAX_MEDIA}`);
  }
  const media = Array.from({ length: numMedia }, (_, index) => ({
    url: requiredString(params, `MediaUrl${index}`, { maxLength: 2048 }),
    contentType: optionalString(params, `MediaContentType${index}`, { maxLength: 255 }),
  }));
  const profileName = optionalString(params, 'ProfileName', { maxLength: 256 });
  const optOutType = optionalString(params, 'OptOutType', { maxLength: 16 });
  return {
    sid,
    from: requiredString(params, 'From', { maxLength: 64 }),
    to: requiredString(params, 'To', { maxLength: 64 }),
    body: optionalString(params, 'Body', { maxLength: 4096 }) ?? '',
    media,
    receivedAt: receivedAtOf(params, now) ?? now.toISOString(),
    ...(profileName ? { profileName } : {}),
    ...(optOutType ? { optOutType } : {}),
  };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * When a message that comes back through a second chance (`?receivedAt=` on our signed
 * `<Redirect>`) first reached us, so its keyword is ordered by when the person sent it, not by
 * when an attempt finally got through. Anything else (absent, malformed, in the future) is ignored.
 */
export function receivedAtOf(params: Params, now = new Date()): string | undefined {
  const raw = params.receivedAt;
  if (typeof raw !== 'string' || !ISO_INSTANT.test(raw)) return undefined;
  const at = Date.parse(raw);
  return Number.isFinite(at) && at <= now.getTime() ? raw : undefined;
}
