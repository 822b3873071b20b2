import { readResponseRoot, TwimlError } from './response';
import { isElement, ownText, type XmlElement } from './xml';

/** One `<Message>` verb of a Messaging TwiML answer. */
export interface TwimlMessage {
  body: string;
  mediaUrls: string[];
  to?: string;
  from?: string;
  action?: string;
  method?: string;
  statusCallback?: string;
}

/** A `<Redirect method>URL</Redirect>`: the URL as written (absolute or relative) and its method. */
interface TwimlRedirect {
  url: string;
  method: 'GET' | 'POST';
}

export interface MessagingTwiml {
  /** The `<Message>` verbs before the first `<Redirect>` (or all of them when there is none). */
  messages: TwimlMessage[];
  /** The first `<Redirect>`, if any: verbs after it are never executed. */
  redirect?: TwimlRedirect;
  /** Things Twilio would log as warnings, or verbs the sandbox does not follow. */
  warnings: string[];
}

export { TwimlError };

function readMessage(element: XmlElement, warnings: string[]): TwimlMessage | null {
  let body = ownText(element);
  const mediaUrls: string[] = [];
  for (const child of element.children) {
    if (!isElement(child)) continue;
    if (child.name === 'Body') body += ownText(child);
    else if (child.name === 'Media') mediaUrls.push(ownText(child).trim());
    else warnings.push(`<${child.name}> is not allowed inside <Message> (Twilio warning 12200)`);
  }
  body = body.trim();
  if (body === '' && mediaUrls.length === 0) {
    warnings.push('<Message> without a body or media was skipped (Twilio warning 14103)');
    return null;
  }
  const { to, from, action, method, statusCallback } = element.attributes;
  const message: TwimlMessage = { body, mediaUrls };
  if (to) message.to = to;
  if (from) message.from = from;
  if (action) message.action = action;
  if (method) message.method = method;
  if (statusCallback) message.statusCallback = statusCallback;
  return message;
}

function readRedirect(element: XmlElement): TwimlRedirect {
  // "POST is the default" (https://www.twilio.com/docs/messaging/twiml/redirect).
  const method = element.attributes.method?.toUpperCase() === 'GET' ? 'GET' : 'POST';
  return { url: ownText(element).trim(), method };
}

/**
 * Reads a Messaging TwiML answer: the `<Message>` verbs of `<Response>`, in order, up to the first
 * `<Redirect>` ("All verbs after <Redirect> are unreachable and ignored",
 * https://www.twilio.com/docs/messaging/twiml/redirect). Malformed XML or a root other than
 * `<Response>` is a TwimlError (Twilio's 12100).
 */
export function readMessagingTwiml(source: string): MessagingTwiml {
  const root = readResponseRoot(source);
  const messages: TwimlMessage[] = [];
  const warnings: string[] = [];
  for (const child of root.children) {
    if (!isElement(child)) {
      if (child.text.trim() !== '') warnings.push('text directly inside <Response> is ignored');
      continue;
    }
    if (child.name === 'Message') {
      const message = readMessage(child, warnings);
      if (message) messages.push(message);
    } else if (child.name === 'Redirect') {
      return { messages, redirect: readRedirect(child), warnings };
    } else {
      warnings.push(`<${child.name}> is not a Messaging TwiML verb (Twilio warning 12200)`);
    }
  }
  return { messages, warnings };
}
