import type { Settings } from '../config/settings';
import { badRequest } from '../errors/app-error';
import { optionalString, requiredPhone, stringList, type Params } from '../http/params';
import { parseMediaUrl } from '../messaging/media-url';
import { normalizePhone } from '../phone/e164';

/**
 * The longest free-form WhatsApp body. WhatsApp itself takes 4,096 characters, but Twilio's
 * Messages API caps every Body at 1,600 (error 21617), so that is what can actually be sent.
 */
const MAX_WHATSAPP_BODY = 1600;

/** Media WhatsApp accepts, by file extension (Twilio checks type and size again when it fetches). */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  amr: 'audio/amr',
  aac: 'audio/aac',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
  pdf: 'application/pdf',
};

export interface WhatsAppSendRequest {
  /** The user, E.164. */
  to: string;
  body?: string;
  mediaUrl?: string;
  contentSid?: string;
  contentVariables?: Record<string, string>;
}

function checkMedia(url: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(parseMediaUrl(url).pathname)?.[1]?.toLowerCase();
  if (!extension || !MEDIA_TYPES[extension]) {
    throw badRequest('unsupported_media', `WhatsApp media must be an http(s) URL of a ${Object.keys(MEDIA_TYPES).join('/')} file`);
  }
  return url;
}

/** `contentVariables` (a JSON object, or its text) as template variable → text. */
export function readVariables(params: Params): Record<string, string> | undefined {
  const value = params.contentVariables;
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw badRequest('invalid_parameter', '"contentVariables" must be a JSON object such as {"1":"A-1042"}');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('invalid_parameter', '"contentVariables" must be an object of template variable → text');
  }
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([name, text]) => [name, String(text)]));
}

/** `{ to, body?, mediaUrl?, contentSid?, contentVariables? }` for /whatsapp/send, checked. */
export function readWhatsAppSend(params: Params, settings: Settings): WhatsAppSendRequest {
  const raw = requiredPhone(params, 'to').replace(/^whatsapp:/, '');
  const to = normalizePhone(raw, { defaultCountry: settings.defaultCountry }).e164;
  const body = optionalString(params, 'body', { maxLength: 100_000 });
  if (body && [...body].length > MAX_WHATSAPP_BODY)
    throw badRequest('body_too_long', `A WhatsApp message is at most ${MAX_WHATSAPP_BODY} characters`);
  const media = stringList(params, 'mediaUrl');
  if (media.length > 1) throw badRequest('too_many_media', 'A WhatsApp message carries one media item');
  const contentSid = optionalString(params, 'contentSid', { maxLength: 64 });
  if (contentSid !== undefined && !/^HX[0-9a-f]{32}$/.test(contentSid))
    throw badRequest('invalid_parameter', '"contentSid" must be a Content template SID (HX…)');
  if (!body && media.length === 0 && !contentSid) throw badRequest('missing_parameter', 'Give a "body", a "mediaUrl" or a "contentSid"');
  const contentVariables = readVariables(params);
  return {
    to,
    ...(body ? { body } : {}),
    ...(media[0] ? { mediaUrl: checkMedia(media[0]) } : {}),
    ...(contentSid ? { contentSid } : {}),
    ...(contentVariables ? { contentVariables } : {}),
  };
}
