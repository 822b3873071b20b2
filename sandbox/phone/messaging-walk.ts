import type { MessagingTwiml } from '../twiml/messaging';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import type { WebhookFailure } from '../webhooks/failure-codes';
import {
  fetchFallback,
  fetchMessagingTwiml,
  type FetchedDocument,
  type MessagingFallbackView,
  type MessagingRequestView,
  type WebhookTarget,
} from './messaging-webhook';

/**
 * `<Redirect>`s one inbound message may follow. Twilio documents no limit for Messaging TwiML;
 * the sandbox stops a longer chain (a redirect loop) with a warning and `redirectLimit`.
 */
export const MAX_MESSAGING_REDIRECTS = 10;

/** Where an inbound message goes first, and where Twilio turns when that fails. */
export interface InboundRoute {
  target: WebhookTarget;
  fallback: WebhookTarget | null;
}

/** What the walk of an inbound message's TwiML did, request by request. */
export interface MessagingWalk {
  webhook: MessagingRequestView;
  fallback?: MessagingFallbackView;
  /** One request per `<Redirect>` followed, in order. */
  redirects: MessagingRequestView[];
  /** Why the walk stopped early: the last document's failure (after any fallback). */
  failure?: WebhookFailure;
  /** Set when the chain was longer than MAX_MESSAGING_REDIRECTS. */
  redirectLimit?: boolean;
  warnings: string[];
}

/** `raw` resolved against the URL of the document it came from; `null` when it is no http(s) URL. */
function resolveRedirect(raw: string, documentUrl: string): string | null {
  try {
    const url = new URL(raw, documentUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * Walks the TwiML of an inbound message: the route's URL, the fallback once when a document cannot
 * be retrieved or executed, and each `<Redirect>` (method default POST, URL relative to the current
 * document, the same inbound parameters, a new signed request). `execute` sends each document's
 * `<Message>` verbs, before the next document is requested.
 */
export async function walkMessagingTwiml(
  route: InboundRoute,
  params: Record<string, string>,
  dispatcher: WebhookDispatcher,
  execute: (twiml: MessagingTwiml, warnings: string[]) => void,
): Promise<MessagingWalk> {
  let document: FetchedDocument = await fetchMessagingTwiml(route.target, params, dispatcher);
  const walk: MessagingWalk = { webhook: document.view, redirects: [], warnings: [] };
  let fallback = route.fallback;
  for (let hops = 0; ; hops += 1) {
    if (document.failure && fallback) {
      const second = await fetchFallback({ ...document, failure: document.failure }, fallback, params, dispatcher);
      walk.fallback = second.view;
      document = second.document;
      fallback = null;
    }
    if (document.failure || !document.twiml) {
      if (document.failure) walk.failure = document.failure;
      return walk;
    }
    walk.warnings.push(...document.twiml.warnings);
    execute(document.twiml, walk.warnings);
    const redirect = document.twiml.redirect;
    if (!redirect) return walk;
    if (hops >= MAX_MESSAGING_REDIRECTS) {
      walk.redirectLimit = true;
      walk.warnings.push(`<Redirect> to ${redirect.url} not followed: more than ${MAX_MESSAGING_REDIRECTS} redirects (sandbox limit)`);
      return walk;
    }
    const url = resolveRedirect(redirect.url, document.url);
    if (url === null) {
      walk.failure = { code: 11100, message: `Invalid URL format in <Redirect>: "${redirect.url}"` };
      return walk;
    }
    document = await fetchMessagingTwiml({ url, method: redirect.method }, params, dispatcher);
    walk.redirects.push(document.view);
  }
}
