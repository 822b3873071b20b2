import { badRequest } from '../errors/app-error';

/** A media URL Twilio can fetch: http(s), or a 400 `invalid_media_url`. */
export function parseMediaUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('invalid_media_url', `"${url.slice(0, 100)}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw badRequest('invalid_media_url', 'Media URLs must be http(s) URLs Twilio can fetch');
  }
  return parsed;
}
