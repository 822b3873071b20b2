// POST /voice/voicemail (Twilio webhook): prompt, beep, record with transcription.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, ivrConfig, voicemailPrompt } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(({ settings }) => twiml(voicemailPrompt(ivrConfig(), settings)));
