// POST /voice/pay-result (Twilio webhook, the Pay action): resume the recording, tell the caller.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, ivrConfig, payResult, setRecording, optionalString, requiredString } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = voiceWebhook(async (input) => {
  await setRecording(input, requiredString(input.params, 'CallSid', { maxLength: 64 }), 'in-progress');
  const result = optionalString(input.params, 'Result', { maxLength: 64 });
  return twiml(payResult(ivrConfig(), input.settings, result, optionalString(input.params, 'PaymentConfirmationCode', { maxLength: 64 })));
});
