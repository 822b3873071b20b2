// POST /whatsapp/incoming (Twilio webhook): every message opens or renews the user's 24-hour
// window (beside, not before, the consent flow: a failed window write never loses a STOP); then
// the same flow as SMS, answered by us (WhatsApp has no carrier keyword replies); anything else
// is kept and answered by the keyword router.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, readInboundMessage, answerInbound, openSession } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = twilioWebhook(async (input) => {
  const message = readInboundMessage(input.params);
  const [answer] = await Promise.all([answerInbound(input, message), openSession(input.stores, message)]);
  return twiml(answer);
});
