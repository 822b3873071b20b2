// GET /voice/voicemail-audio?sid=RE… (API action): one of our voicemails' recording, as audio/mpeg.
import type * as Comms from '../../lib';
const { apiAction, binary, voicemailAudio } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async (input) => {
  const audio = await voicemailAudio(input.params.sid, input.stores.voicemails, input.twilio(), input.settings, input.deadline);
  return binary(audio.bytes, audio.contentType);
});
