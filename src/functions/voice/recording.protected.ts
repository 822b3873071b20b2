// POST /voice/recording (Twilio webhook, the Record action): keep the voicemail (an empty
// recording is not one), thank the caller and hang up. The team is told once it is transcribed.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, ivrConfig, readRecording, goodbye } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(async ({ params, settings, stores }) => {
  const voicemail = readRecording(params);
  if (voicemail) await stores.voicemails.keep(voicemail);
  return twiml(goodbye(ivrConfig(), settings));
});
