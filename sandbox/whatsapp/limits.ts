/**
 * What Twilio's docs say about WhatsApp message content, and the sandbox's approximation of it.
 *
 * - Body: the Messages API takes up to 1,600 characters whatever the channel (21617,
 *   https://www.twilio.com/docs/api/errors/21617); WhatsApp's own 4,096 is not reachable through it.
 * - Media: "unlike MMS, a WhatsApp media message can only contain one media attachment. Any
 *   additional attachments will be ignored" (Twilio support, "Sending and Receiving Media with
 *   WhatsApp Messaging on Twilio"): the sandbox keeps the first MediaUrl.
 * - Media types (https://www.twilio.com/docs/whatsapp/guidance-whatsapp-media-messages): images
 *   JPG/JPEG/PNG/WEBP, audio OGG/AMR/3GP/AAC/MPEG, video MP4/3GPP, documents PDF/DOC/DOCX/PPTX/
 *   XLSX, contacts vCard. Twilio reads the Content-Type of the URL; the sandbox fetches nothing
 *   and judges by the URL's extension: an extension outside the table fails the message with
 *   63021 (content not supported by the channel); a URL without extension is accepted. Sizes
 *   (16 MB per message, 5 MB per image) cannot be judged from a URL and are not checked.
 * - Templates: rendered text longer than 1,024 characters fails with 63021
 *   (https://www.twilio.com/docs/api/errors/63021).
 */
export const WHATSAPP_MAX_MEDIA = 1;
export const WHATSAPP_TEMPLATE_MAX_LENGTH = 1024;

/** Supported media by URL extension → the content type reported for it. */
export const WHATSAPP_MEDIA_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  ogg: 'audio/ogg',
  amr: 'audio/amr',
  '3gp': 'video/3gpp',
  '3gpp': 'video/3gpp',
  aac: 'audio/aac',
  mp3: 'audio/mpeg',
  mpeg: 'audio/mpeg',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  vcf: 'text/vcard',
};

/** The lower-cased extension of a URL's path, or `null`. */
export function extensionOf(url: string): string | null {
  const path = url.split(/[?#]/, 1)[0];
  const match = /\/[^/]*\.([a-z0-9]+)$/i.exec(path);
  return match ? match[1].toLowerCase() : null;
}

/** True unless the URL has an extension WhatsApp does not take. */
export function isSupportedWhatsAppMedia(url: string): boolean {
  const ext = extensionOf(url);
  return ext === null || ext in WHATSAPP_MEDIA_TYPES;
}

/** The content type the sandbox reports for a WhatsApp media URL. */
export function whatsAppContentTypeOf(url: string): string {
  const ext = extensionOf(url);
  return (ext && WHATSAPP_MEDIA_TYPES[ext]) || 'application/octet-stream';
}

/** Twilio's `MessageType` for an inbound WhatsApp message with this first media type. */
export function messageTypeOf(contentType: string | undefined): string {
  if (!contentType) return 'text';
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('video/')) return 'video';
  if (contentType.startsWith('audio/')) return 'audio';
  return 'document';
}
