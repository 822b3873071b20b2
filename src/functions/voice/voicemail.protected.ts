// POST /voice/voicemail (Twilio webhook): prompt, beep, record with transcription.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, ivrConfig, voicemailPrompt } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async ({ settings }) => twiml(voicemailPrompt(ivrConfig(), settings)));
