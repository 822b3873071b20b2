// POST /voice/transcription (Twilio webhook, transcribeCallback): store the transcription (or its
// failure) and text VOICEMAIL_NOTIFY_TO the caller and the text, or the recording link.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, noReply, readTranscription, notifyVoicemail } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const { recordingSid, transcription } = readTranscription(input.params);
  const stores = input.stores();
  const voicemail = await stores.voicemails.transcribed(recordingSid, transcription);
  if (voicemail) await notifyVoicemail({ ...input, stores }, voicemail);
  return twiml(noReply());
});
