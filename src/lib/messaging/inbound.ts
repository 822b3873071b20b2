import { badRequest } from '../errors/app-error';
import { optionalString, requiredString, type Params } from '../http/params';
import type { InboundMessage } from '../stores/inbox';

const MAX_MEDIA = 10;

/** The inbound message Twilio posted (From, To, Body, MessageSid, NumMedia, MediaUrl{N}, ProfileName for WhatsApp, ...). */
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
  return {
    sid,
    from: requiredString(params, 'From', { maxLength: 64 }),
    to: requiredString(params, 'To', { maxLength: 64 }),
    body: optionalString(params, 'Body', { maxLength: 4096 }) ?? '',
    media,
    receivedAt: now.toISOString(),
    ...(profileName ? { profileName } : {}),
  };
}
