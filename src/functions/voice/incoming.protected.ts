// POST /voice/incoming (Twilio webhook, the number's Voice URL): greet and gather one choice.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, ivrConfig, menuPrompt } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(({ settings }) => {
  const { menu } = ivrConfig();
  return twiml(menuPrompt(settings, menu, '', 0, { intro: menu.greeting }));
});
