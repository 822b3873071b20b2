// POST /sms/incoming (Twilio webhook): STOP/START/HELP compliance first; anything else is kept,
// forwarded to FORWARD_TO and answered with AUTO_REPLY when the outbound gate clears them. When
// Sync or Twilio fail past the budget, Twilio is sent back to /sms/fallback with the same message.
import type * as Comms from '../../lib';
const { inboundMessageWebhook, answerSms } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = inboundMessageWebhook(answerSms, { fallback: '/sms/fallback' });
