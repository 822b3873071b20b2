import type { Settings } from '../config/settings';
import { badRequest } from '../errors/app-error';
import { optionalBoolean, optionalString, requiredPhone, stringList, type Params } from '../http/params';
import { parseMediaUrl } from '../messaging/media-url';
import { normalizePhone } from '../phone/e164';
import { measureBody, type BodyMeasure } from './segments';

const MAX_BODY_CHARACTERS = 1600;
const MAX_MEDIA = 10;

interface SendRequest extends BodyMeasure {
  to: string;
  body?: string;
  mediaUrls: string[];
  smartEncoding: boolean;
}

/**
 * Reads and checks a send: `to` in E.164 (national numbers read with DEFAULT_COUNTRY), a body of at most 1600 characters and MAX_SEGMENTS segments, up to 10
 * media URLs; a body or media is required.
 */
export function readSendRequest(params: Params, settings: Settings): SendRequest {
  const to = normalizePhone(requiredPhone(params, 'to'), { defaultCountry: settings.defaultCountry }).e164;
  const body = optionalString(params, 'body', { maxLength: 100_000 });
  const mediaUrls = stringList(params, 'mediaUrl').map((url) => parseMediaUrl(url) && url);
  const smartEncoding = optionalBoolean(params, 'smartEncoding') ?? false;
  if (!body && mediaUrls.length === 0) throw badRequest('missing_parameter', 'Give a "body", a "mediaUrl", or both');
  if (mediaUrls.length > MAX_MEDIA) throw badRequest('too_many_media', `At most ${MAX_MEDIA} media URLs per message`);
  // The length is checked before the segments are counted: counting grows with the body.
  const characters = [...(body ?? '')].length;
  if (characters > MAX_BODY_CHARACTERS)
    throw badRequest('body_too_long', `The body is longer than ${MAX_BODY_CHARACTERS} characters`, { characters });
  const measure = measureBody(body ?? '', smartEncoding);
  if (measure.segments > settings.maxSegments) {
    throw badRequest(
      'too_many_segments',
      `The body needs ${measure.segments} ${measure.encoding} segments; the limit is ${settings.maxSegments} (MAX_SEGMENTS)`,
      {
        segments: measure.segments,
        encoding: measure.encoding,
      },
    );
  }
  return { to, body, mediaUrls, smartEncoding, ...measure };
}
