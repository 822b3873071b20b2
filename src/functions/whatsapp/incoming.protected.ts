// POST /whatsapp/incoming (Twilio webhook): every message opens or renews the user's 24-hour
// window (beside, not before, the consent flow: a failed window write never loses a STOP); then
// the same flow as SMS, answered by us (WhatsApp has no carrier keyword replies); anything else
// is kept and answered by the keyword router. When Sync or Twilio fail past the budget, Twilio is
// sent back to /whatsapp/fallback with the same message.
import type * as Comms from '../../lib';
const { inboundMessageWebhook, answerWhatsApp } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = inboundMessageWebhook(answerWhatsApp, { fallback: '/whatsapp/fallback' });
