// POST /voice/transcription (Twilio webhook, transcribeCallback): store the transcription (or its
// failure) and text VOICEMAIL_NOTIFY_TO the caller and the text, or the recording link.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, noReply, readTranscription, notifyVoicemail } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(async (input) => {
  const { recordingSid, transcription, voicemail } = readTranscription(input.params);
  const stores = input.stores;
  const heard = transcription.status === 'completed' ? voicemail : undefined;
  const stored = await stores.voicemails.transcribed(recordingSid, transcription, heard);
  if (stored) await notifyVoicemail({ ...input, stores }, stored);
  return twiml(noReply());
});
