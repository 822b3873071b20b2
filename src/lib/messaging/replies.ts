import type { InboundMessage } from '../stores/inbox';
import { twilioSdk } from '../twilio/sdk';

export type MessagingResponse = InstanceType<ReturnType<typeof twilioSdk>['twiml']['MessagingResponse']>;

const messagingResponse = (): MessagingResponse => new (twilioSdk().twiml.MessagingResponse)();

/** A TwiML answer with no reply at all. */
export const noReply = (): MessagingResponse => messagingResponse();

/** A TwiML answer that replies `text` to the sender. */
export function textReply(text: string): MessagingResponse {
  const response = messagingResponse();
  response.message(text);
  return response;
}

/** Line breaks of every kind (CR, LF, VT, FF, NEL, U+2028, U+2029), in runs. */
const LINE_BREAKS = /[\r\n\v\f\u0085\u2028\u2029]+/g;

/**
 * Someone else's words on one line (each run of line breaks a space), so in a text to staff no
 * quoted text can start a line of its own and forge a second "From …:" header.
 */
export const oneLine = (text: string): string => text.replace(LINE_BREAKS, ' ');

/** How staff see a forwarded text: the real sender, then the sender's words in quotes on the same one line. */
const forwardedText = (from: string, body: string): string => `From ${from}: "${oneLine(body)}"`;

/**
 * In PHI mode, what staff get instead of the text: that one arrived and where to read it (a
 * bearer route), with no body, sender or media; an SMS to a staff phone is not a protected channel.
 */
const phiNotice = (readAt: string): string => `New message received. Read it at ${readAt}`;

/**
 * Forwards a message to a staff number (with its media) and/or replies to the sender, each only
 * when given. With `readAt` (PHI mode) the forward is only a notice with that link.
 */
export function forwardAndReply(
  message: InboundMessage,
  { forwardTo, reply, readAt }: { forwardTo?: string; reply?: string; readAt?: string },
): MessagingResponse {
  const response = messagingResponse();
  if (forwardTo && readAt) {
    response.message({ to: forwardTo }, phiNotice(readAt));
  } else if (forwardTo) {
    // <Body> and <Media> nouns, not bare text, since the forward may carry media.
    const forward = response.message({ to: forwardTo }, '');
    forward.body(forwardedText(message.from, message.body).slice(0, 1600));
    for (const item of message.media) forward.media(item.url);
  }
  if (reply) response.message(reply);
  return response;
}
