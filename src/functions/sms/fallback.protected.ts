// POST /sms/fallback (Twilio webhook): the number's SMS fallback URL (Twilio calls it when
// /sms/incoming failed, with ErrorCode and ErrorUrl) and where a failed attempt sends Twilio back
// (`?attempt=n`): the same inbound flow again, with a new budget, up to SECOND_CHANCES times.
import type * as Comms from '../../lib';
const { inboundMessageWebhook, answerSms } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = inboundMessageWebhook(answerSms, { fallback: '/sms/fallback', isFallback: true });
