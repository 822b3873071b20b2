// POST /voice/pay?path= (Twilio webhook): pause the call recording, then <Pay> through
// PAY_CONNECTOR, so card data never touches our code or a recording.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, ivrConfig, payActionAt, payPrompt, setRecording, readMenuState, requiredString } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = voiceWebhook(async (input) => {
  const config = ivrConfig();
  const { path } = readMenuState(input.params);
  const action = payActionAt(config, path);
  if (action && input.settings.voice.payConnector)
    await setRecording(input, requiredString(input.params, 'CallSid', { maxLength: 64 }), 'paused');
  return twiml(payPrompt(config, input.settings, action, path));
});
