// POST /whatsapp/incoming (Twilio webhook): every message opens or renews the user's 24-hour
// window; STOP/START/HELP as for SMS (answered by us: WhatsApp has no carrier opt-out replies);
// anything else is kept and answered by the keyword router. Replies are TwiML.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, readInboundMessage, classifyKeyword, textReply, routeKeyword } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async ({ params, settings, stores }) => {
  const message = readInboundMessage(params);
  const user = message.from.replace(/^whatsapp:/, '');
  await stores().sessions.open(user, message.profileName);
  switch (classifyKeyword(message.body)) {
    case 'opt-out':
      await stores().optOuts.optOut(message.from, 'keyword', message.body.trim());
      return twiml(textReply(settings.optOutMessage));
    case 'opt-in':
      await stores().optOuts.optIn(message.from, 'keyword', message.body.trim());
      return twiml(textReply(settings.optInMessage));
    case 'help':
      return twiml(textReply(settings.whatsapp.helpText));
    default:
      await stores().inbox.keep(message);
      return twiml(textReply(routeKeyword(message.body, settings.whatsapp)));
  }
});
