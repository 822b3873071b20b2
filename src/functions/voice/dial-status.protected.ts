// POST /voice/dial-status (Twilio webhook, the Dial action): answered calls end; busy, no answer
// or failure land in voicemail, never in silence.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, ivrConfig, afterDial, optionalString } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(({ params, settings }) =>
  twiml(afterDial(ivrConfig(), settings, optionalString(params, 'DialCallStatus', { maxLength: 32 }))),
);
