// POST /voice/transcription (Twilio webhook, transcribeCallback): store the transcription (or its
// failure) and text VOICEMAIL_NOTIFY_TO the caller and the text, or the recording link. A callback,
// not part of the call: a failure answers 5xx so Twilio tries it again (#rc on its URL), and a
// transcription keeps the voicemail itself when the Record action could not.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, noReply, keepTranscription, notifyVoicemail } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const voicemail = await keepTranscription(input);
  if (voicemail) await notifyVoicemail(input, voicemail);
  return twiml(noReply());
});
