// POST /voice/fallback (Twilio webhook): the number's Voice fallback URL. Twilio calls it when a
// voice route failed or timed out; the caller hears an apology and may leave a voicemail.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, fallbackVoicemail } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(({ settings }) => twiml(fallbackVoicemail(settings)));
