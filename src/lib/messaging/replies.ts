import type { Settings } from '../config/settings';
import type { InboundMessage } from '../stores/inbox';
import { twilioSdk } from '../twilio/sdk';

type MessagingResponse = InstanceType<ReturnType<typeof twilioSdk>['twiml']['MessagingResponse']>;

const messagingResponse = (): MessagingResponse => new (twilioSdk().twiml.MessagingResponse)();

/** A TwiML answer with no reply at all. */
export const noReply = (): MessagingResponse => messagingResponse();

/** A TwiML answer that replies `text` to the sender. */
export function textReply(text: string): MessagingResponse {
  const response = messagingResponse();
  response.message(text);
  return response;
}

/**
 * The answer to STOP/START: silent when Twilio's (Advanced) Opt-Out handling replies for us, our
 * own text when OPT_OUT_REPLIES=ours.
 */
export function consentReply(settings: Settings, text: string): MessagingResponse {
  return settings.optOutReplies === 'ours' ? textReply(text) : noReply();
}

/** Forwards a message to the staff number (with its media) and/or auto-replies to the sender. */
export function forwardAndAutoReply(message: InboundMessage, settings: Settings): MessagingResponse {
  const response = messagingResponse();
  if (settings.forwardTo) {
    // <Body> and <Media> nouns, not bare text, since the forward may carry media.
    const forward = response.message({ to: settings.forwardTo }, '');
    forward.body(`From ${message.from}: ${message.body}`.slice(0, 1600));
    for (const item of message.media) forward.media(item.url);
  }
  if (settings.autoReply) response.message(settings.autoReply);
  return response;
}
