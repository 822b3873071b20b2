// POST /whatsapp/fallback (Twilio webhook): the WhatsApp sender's fallback URL and where a failed
// attempt of /whatsapp/incoming sends Twilio back (`?attempt=n`): the same flow again, with a new
// budget, up to SECOND_CHANCES times.
import type * as Comms from '../../lib';
const { inboundMessageWebhook, answerWhatsApp } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = inboundMessageWebhook(answerWhatsApp, { fallback: '/whatsapp/fallback', isFallback: true });
