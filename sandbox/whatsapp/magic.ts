/**
 * Sandbox-specific WhatsApp recipients (Twilio has no WhatsApp test numbers). Sent to as
 * `whatsapp:<number>`, the message is accepted (201) and then fails at delivery with Twilio's
 * WhatsApp error code in the message and its `failed` status callback: Twilio reports these
 * channel errors (Log Type TWILIO on their pages) after accepting the request, not as REST
 * errors. The numbers sit in Twilio's magic range (+1 500 555 00xx) on numbers no other sandbox
 * table uses (SMS 0001–0013, Verify 0020–0023 and 0030–0039). O(1): one map lookup.
 */
import type { DeliveryOutcome } from '../magic-numbers';

export const WHATSAPP_MAGIC_RECIPIENTS: Readonly<Record<string, DeliveryOutcome>> = {
  // https://www.twilio.com/docs/api/errors/63018 (WhatsApp 429 / 471 / 1015)
  '+15005550040': { status: 'failed', code: 63018, message: 'Rate limit exceeded for Channel' },
  // https://www.twilio.com/docs/api/errors/63021 (WhatsApp 1001 / 408 / 410)
  '+15005550041': { status: 'failed', code: 63021, message: 'Channel invalid content error' },
  // https://www.twilio.com/docs/api/errors/63025 (WhatsApp 1004)
  '+15005550042': { status: 'failed', code: 63025, message: 'Media already exists' },
  // https://www.twilio.com/docs/api/errors/63038
  '+15005550043': { status: 'failed', code: 63038, message: 'Account exceeded the daily messages limit' },
  // https://www.twilio.com/docs/whatsapp/api/error-code-mapping (WhatsApp 472)
  '+15005550044': { status: 'failed', code: 63032, message: "User's number is part of an experiment" },
  // https://www.twilio.com/docs/api/errors/63003 (WhatsApp 1006 / 1013 / 1021)
  '+15005550045': { status: 'failed', code: 63003, message: 'Channel could not find To address' },
};
