// POST /sms/incoming (Twilio webhook): STOP/START/HELP compliance first; anything else is kept,
// forwarded to FORWARD_TO and answered with AUTO_REPLY. Replies are TwiML, never extra REST calls.
import type * as Comms from '../../lib';
const { twilioWebhook, twiml, classifyKeyword, readInboundMessage, consentReply, textReply, forwardAndAutoReply } =
  require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(async ({ params, settings, stores }) => {
  const message = readInboundMessage(params);
  switch (classifyKeyword(message.body)) {
    case 'opt-out':
      await stores().optOuts.optOut(message.from, 'keyword', message.body.trim());
      return twiml(consentReply(settings, settings.optOutMessage));
    case 'opt-in':
      await stores().optOuts.optIn(message.from, 'keyword', message.body.trim());
      return twiml(consentReply(settings, settings.optInMessage));
    case 'help':
      return twiml(textReply(settings.helpMessage));
    default:
      await stores().inbox.keep(message);
      return twiml(forwardAndAutoReply(message, settings));
  }
});
