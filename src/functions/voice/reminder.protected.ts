// POST /voice/reminder?attempt= (Twilio webhook, the reminder's Gather action): record 1 as
// confirmed and 2 as canceled, 9 as "stop these calls" (a voice opt-out); anything else asks once more.
import type * as Comms from '../../lib';
const { voiceWebhook, twiml, reminderAnswer } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = voiceWebhook(async (input) => twiml(await reminderAnswer(input)));
