import { fallbackParams, readTwimlAnswer } from '../twiml/answer';
import { readMessagingTwiml, type MessagingTwiml } from '../twiml/messaging';
import type { DeliveryResult, WebhookDispatcher, WebhookMethod } from '../webhooks/dispatcher';
import type { WebhookFailure } from '../webhooks/failure-codes';

/** Where a messaging webhook goes: a URL and its method. */
export interface WebhookTarget {
  url: string;
  method: WebhookMethod;
}

/** One request of an inbound message's walk, as the phone's answer reports it. */
export interface MessagingRequestView {
  url: string;
  method: string;
  status: number | null;
  contentType: string | null;
  body: string;
  /** Twilio's error when the request failed (11200 for a 4xx / 5xx, 11205, 12100, 12300, …). */
  errorCode?: number;
  error?: string;
}

/** The fallback request and why it was made (the ErrorCode and ErrorUrl it carried). */
export interface MessagingFallbackView extends MessagingRequestView {
  cause: WebhookFailure & { url: string };
}

/** A TwiML document fetched for an inbound message, or why it could not be executed. */
export interface FetchedDocument {
  view: MessagingRequestView;
  /** The URL the document came from (relative `<Redirect>`s resolve against it). */
  url: string;
  twiml?: MessagingTwiml;
  failure?: WebhookFailure;
}

const NO_REPLY: MessagingTwiml = { messages: [], warnings: [] };

function viewOf(target: WebhookTarget, delivery: DeliveryResult): MessagingRequestView {
  const view: MessagingRequestView = {
    url: target.url,
    method: target.method,
    status: delivery.status,
    contentType: delivery.contentType,
    body: delivery.body,
  };
  if (delivery.error) view.error = delivery.error;
  return view;
}

/** Requests one Messaging TwiML document, signed, and reads it (an empty answer is no reply). */
export async function fetchMessagingTwiml(
  target: WebhookTarget,
  params: Record<string, string>,
  dispatcher: WebhookDispatcher,
): Promise<FetchedDocument> {
  const delivery = await dispatcher.deliver({ url: target.url, method: target.method, params });
  const view = viewOf(target, delivery);
  const read = readTwimlAnswer(delivery, (source) => (source.trim() === '' ? NO_REPLY : readMessagingTwiml(source)));
  if ('document' in read) return { view, url: delivery.url, twiml: read.document };
  view.errorCode = read.failure.code;
  if (!view.error) view.error = read.failure.message;
  return { view, url: delivery.url, failure: read.failure };
}

/**
 * Twilio's second chance for a failed document: "If Twilio is unable to retrieve or execute TwiML
 * from your web server, a request is immediately made to the number's Fallback URL" with the
 * ErrorCode and ErrorUrl parameters (https://www.twilio.com/docs/usage/security/availability-reliability).
 * Answers the fallback's document and its view (whose `cause` is the failure it answers).
 */
export async function fetchFallback(
  failed: FetchedDocument & { failure: WebhookFailure },
  fallback: WebhookTarget,
  params: Record<string, string>,
  dispatcher: WebhookDispatcher,
): Promise<{ document: FetchedDocument; view: MessagingFallbackView }> {
  const cause = { ...failed.failure, url: failed.url };
  const document = await fetchMessagingTwiml(fallback, fallbackParams(params, failed.failure, failed.url), dispatcher);
  return { document, view: { ...document.view, cause } };
}
