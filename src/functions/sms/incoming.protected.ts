// POST /sms/incoming (Twilio webhook): STOP/START/HELP compliance first; anything else is kept,
// forwarded to FORWARD_TO and answered with AUTO_REPLY when the outbound gate clears them.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, readInboundMessage, answerInbound } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => twiml(await answerInbound(input, readInboundMessage(input.params))));
