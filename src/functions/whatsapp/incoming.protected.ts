// POST /whatsapp/incoming (Twilio webhook): every message opens or renews the user's 24-hour
// window; then the same flow as SMS (STOP/START/HELP, answered by us: WhatsApp has no carrier
// opt-out replies); anything else is kept and answered by the keyword router.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, readInboundMessage, readAddress, answerInbound } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const message = readInboundMessage(input.params);
  await input.stores.sessions.open(readAddress(message.from).number, message.profileName);
  return twiml(await answerInbound(input, message));
});
