// POST /voice/menu?path=&attempt= (Twilio webhook, the Gather action): route the choice, repeat
// the menu at most IVR_MAX_RETRIES times, then voicemail or goodbye.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, ivrConfig, readMenuState, routeChoice } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(async (input) =>
  twiml(await routeChoice(input, ivrConfig(), readMenuState(input.params), input.params)),
);
