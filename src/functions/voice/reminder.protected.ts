// POST /voice/reminder?attempt= (Twilio webhook, the reminder's Gather action): record 1 as
// confirmed and 2 as canceled; anything else asks once more.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, reminderAnswer } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => twiml(await reminderAnswer(input, input.stores())));
