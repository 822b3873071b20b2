import type { DeliveryOutcome } from '../magic-numbers';
import { isSupportedWhatsAppMedia, WHATSAPP_MAX_MEDIA, WHATSAPP_TEMPLATE_MAX_LENGTH } from './limits';

/** Twilio's 63021 (https://www.twilio.com/docs/api/errors/63021), reported at delivery. */
function invalidContent(detail: string): DeliveryOutcome {
  return { status: 'failed', code: 63021, message: `Channel invalid content error: ${detail}` };
}

export interface WhatsAppShape {
  mediaUrls: string[];
  /** WhatsApp messages are one segment (Twilio reports num_segments "1"). */
  numSegments: number;
  deferredError: DeliveryOutcome | null;
}

/**
 * The WhatsApp specifics of an outbound message: only the first media URL is kept (Twilio
 * ignores the others); media of an unsupported type, or template text over 1,024 characters,
 * make the message fail at delivery with 63021 (see `limits.ts`).
 */
export function shapeWhatsApp(body: string, mediaUrls: readonly string[], fromTemplate: boolean): WhatsAppShape {
  const kept = mediaUrls.slice(0, WHATSAPP_MAX_MEDIA);
  let deferredError: DeliveryOutcome | null = null;
  const unsupported = kept.find((url) => !isSupportedWhatsAppMedia(url));
  if (unsupported) deferredError = invalidContent(`media type of ${unsupported} is not supported by WhatsApp`);
  else if (fromTemplate && body.length > WHATSAPP_TEMPLATE_MAX_LENGTH) {
    deferredError = invalidContent(`template text exceeds ${WHATSAPP_TEMPLATE_MAX_LENGTH} characters`);
  }
  return { mediaUrls: kept, numSegments: 1, deferredError };
}
