import { rfc2822 } from '../dates';
import { newSid } from '../sids';
import { extensionOf, WHATSAPP_MEDIA_TYPES } from '../whatsapp/limits';

/**
 * The Media subresource of a Message (https://www.twilio.com/docs/messaging/api/media-resource):
 * "Twilio creates a Media subresource … when you send an MMS … a WhatsApp message with an image …
 * [or] receive media", and keeps it "until you delete the related Media subresource instance".
 * The sandbox stores no bytes: a Media keeps the URL it came from and a content type guessed
 * from the URL's extension (Twilio reads the fetched Content-Type; the sandbox fetches nothing).
 */
export interface MediaRecord {
  readonly sid: string;
  readonly contentType: string;
  /** The MediaUrl the message was created with (or the inbound media URL). */
  readonly sourceUrl: string;
  readonly dateCreated: number;
}

/** Content types by extension: WhatsApp's table plus the common MMS image types. */
const MEDIA_TYPES: Readonly<Record<string, string>> = { ...WHATSAPP_MEDIA_TYPES, gif: 'image/gif', bmp: 'image/bmp', txt: 'text/plain' };

/** The content type the sandbox reports for a media URL; unknown → `application/octet-stream`. */
export function mediaContentTypeOf(url: string): string {
  const ext = extensionOf(url);
  return (ext && MEDIA_TYPES[ext]) || 'application/octet-stream';
}

/** One Media per URL, with the given content types where known. */
export function createMedia(urls: readonly string[], contentTypes: readonly string[], now: number): MediaRecord[] {
  return urls.map((url, i) => ({
    sid: newSid('ME'),
    contentType: contentTypes[i] ?? mediaContentTypeOf(url),
    sourceUrl: url,
    dateCreated: now,
  }));
}

export function mediaPath(accountSid: string, messageSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media`;
}

/** The Media resource as the 2010 API serializes it (api.v2010.account.message.media). */
export function mediaResource(accountSid: string, messageSid: string, media: MediaRecord): Record<string, unknown> {
  return {
    account_sid: accountSid,
    content_type: media.contentType,
    date_created: rfc2822(media.dateCreated),
    date_updated: rfc2822(media.dateCreated),
    parent_sid: messageSid,
    sid: media.sid,
    uri: `${mediaPath(accountSid, messageSid)}/${media.sid}.json`,
  };
}
