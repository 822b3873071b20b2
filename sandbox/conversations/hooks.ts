import type { IncomingHttpHeaders } from 'node:http';
import type { TaskTracker } from '../tasks';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import type { ConversationRecord, ConversationStore, HookMethod } from './store';

/** Conversations webhooks "have a maximum timeout of 5 seconds" (https://twilio.com/docs/conversations/conversations-webhooks). */
const CONVERSATIONS_WEBHOOK_LIMIT_MS = 5000;

/** Where an action came from, as the webhooks' `Source` names it (https://twilio.com/docs/conversations/conversations-webhooks). */
type ActionSource = 'API' | 'SDK' | 'SMS' | 'WHATSAPP';

/**
 * Who acted: the webhooks' `Source`, and for a REST action whether its request carried
 * `X-Twilio-Webhook-Enabled: true`. "Only actions from SDK-driven clients (like mobile phones or
 * browsers) or SMS-based Participants will cause webhooks without further action on your part …
 * add a header `X-Twilio-Webhook-Enabled=true` to any such request. Requests bearing this header
 * will yield webhooks to the configured Post-Event webhook target"
 * (https://www.twilio.com/docs/conversations/conversations-webhooks, "Triggering Webhooks for REST API Events").
 */
export type Origin = { source: Exclude<ActionSource, 'API'> } | { source: 'API'; webhooks: boolean };

/**
 * Twilio's own doings, reported whatever started them: a state timer firing, and a delivery
 * receipt ("`onDeliveryUpdated` is executed for every delivery receipt notification received by
 * Twilio", https://www.twilio.com/docs/conversations/delivery-receipts, "Set up Webhooks for Delivery Receipts").
 */
export const BY_TWILIO: Origin = { source: 'API', webhooks: true };

/** A REST request's origin: Source `API`, post-action webhooks only when `X-Twilio-Webhook-Enabled` is `true` (the spec's enum: true, false). */
export function restOrigin(headers: IncomingHttpHeaders): Origin {
  const header = headers['x-twilio-webhook-enabled'];
  return { source: 'API', webhooks: (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase() === 'true' };
}

export interface HookDeps {
  accountSid: string;
  store: ConversationStore;
  dispatcher: WebhookDispatcher;
  tasks: TaskTracker;
  log: (line: string) => void;
}

interface HookTarget {
  url: string;
  method: HookMethod;
  webhookSid?: string;
}

/**
 * The pre- or post-action URLs that `event` goes to: the account-level (global) webhook, then the
 * service's, each when its filters name the event ("Pre-action webhooks are only available for two
 * types of webhooks (global and service-level)", https://www.twilio.com/docs/conversations/conversations-webhooks).
 * A global target of `flex` routes inside Twilio to Flex, which the sandbox has not: nothing is sent.
 */
function accountAndServiceTargets(deps: HookDeps, serviceSid: string, event: string, kind: 'pre' | 'post'): HookTarget[] {
  const targets: HookTarget[] = [];
  const global = deps.store.configuration.webhooks;
  const globalUrl = kind === 'pre' ? global.preWebhookUrl : global.postWebhookUrl;
  if (global.target === 'webhook' && globalUrl && global.filters.includes(event)) targets.push({ url: globalUrl, method: global.method });
  const hooks = deps.store.services.get(serviceSid)?.webhooks;
  const serviceUrl = kind === 'pre' ? hooks?.preWebhookUrl : hooks?.postWebhookUrl;
  if (hooks && serviceUrl && hooks.filters.includes(event)) targets.push({ url: serviceUrl, method: hooks.method });
  return targets;
}

/** What a pre-action webhook decided: reject, or publish with the fields its 200 answer modified (none when it said nothing). */
export interface PreActionOutcome {
  rejected: boolean;
  modified: Record<string, string>;
}

/**
 * The fields a pre-action answer may modify: "`friendly_name`" for `onConversationAdd` /
 * `onConversationUpdate`; "`body`, `author`, `attributes`" for `onMessageAdd` / `onMessageUpdate`
 * (https://www.twilio.com/docs/conversations/conversations-webhooks, "Modifiable Fields").
 */
const MODIFIABLE: Readonly<Record<string, readonly string[]>> = {
  onConversationAdd: ['friendly_name'],
  onConversationUpdate: ['friendly_name'],
  onMessageAdd: ['body', 'author', 'attributes'],
  onMessageUpdate: ['body', 'author', 'attributes'],
};

function modifiedFields(event: string, body: string): Record<string, string> {
  const allowed = MODIFIABLE[event] ?? [];
  if (allowed.length === 0 || body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (allowed.includes(key) && typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * A pre-action webhook (`onMessageAdd`, `onConversationAdd`, `onParticipantAdd`…): fired before the
 * action and only for actions from the SDK or a messaging channel, never the REST API ("only actions
 * from SDK-driven clients (like mobile phones or browsers) or SMS-based Participants will cause
 * webhooks", https://www.twilio.com/docs/conversations/conversations-webhooks). The same page's
 * table decides: a 40x or 50x answer rejects the change ("no publication will be made"); a 200
 * publishes it, with the modifiable fields of a JSON answer applied; no answer or a timeout
 * publishes it unmodified "after a timeout of 5 seconds" (Twilio logs 50076, "Webhook failed to
 * execute successfully due to timeout", https://www.twilio.com/docs/api/errors/50076).
 */
export async function preAction(
  deps: HookDeps,
  serviceSid: string,
  event: string,
  origin: Origin,
  params: Record<string, string>,
): Promise<PreActionOutcome> {
  const outcome: PreActionOutcome = { rejected: false, modified: {} };
  // Not even with X-Twilio-Webhook-Enabled: the header "will yield webhooks to the configured Post-Event webhook target".
  if (origin.source === 'API') return outcome;
  for (const target of accountAndServiceTargets(deps, serviceSid, event, 'pre')) {
    const result = await deps.dispatcher.deliver({
      url: target.url,
      method: target.method,
      params: eventParams(deps, serviceSid, event, origin.source, { ...params, ...renamed(outcome.modified) }),
      limitMs: CONVERSATIONS_WEBHOOK_LIMIT_MS,
    });
    if (result.status === null) {
      deps.log(`conversations ${event} pre-action webhook gave no answer in time (50076): the action goes on unmodified`);
      continue;
    }
    if (result.status >= 400) return { rejected: true, modified: {} };
    if (result.status >= 200 && result.status < 300) Object.assign(outcome.modified, modifiedFields(event, result.body));
  }
  return outcome;
}

/** Modified fields as the next hook's parameters name them (`body` → `Body`, `friendly_name` → `FriendlyName`). */
function renamed(modified: Record<string, string>): Record<string, string> {
  const names: Record<string, string> = { body: 'Body', author: 'Author', attributes: 'Attributes', friendly_name: 'FriendlyName' };
  return Object.fromEntries(Object.entries(modified).map(([key, value]) => [names[key] ?? key, value]));
}

/**
 * A post-action webhook (`onMessageAdded`, `onParticipantAdded`, `onDeliveryUpdated`,
 * `onConversationStateUpdated`…): to the account-level and the service's post-action URLs when
 * their filters name the event, and to each conversation-scoped webhook whose filters do (those are
 * post-event only: https://www.twilio.com/docs/conversations-classic/api/conversation-scoped-webhook-resource.md).
 * A REST action reports only when its request asked with X-Twilio-Webhook-Enabled (`Origin`).
 * Sent in the background; the action does not wait.
 */
export function postAction(
  deps: HookDeps,
  serviceSid: string,
  conversation: ConversationRecord | null,
  event: string,
  origin: Origin,
  params: Record<string, string>,
): void {
  if (origin.source === 'API' && !origin.webhooks) return;
  const targets = accountAndServiceTargets(deps, serviceSid, event, 'post');
  if (conversation) {
    for (const w of deps.store.webhooksOf(conversation.sid)) {
      if (w.target === 'webhook' && w.url && w.filters.includes(event)) targets.push({ url: w.url, method: w.method, webhookSid: w.sid });
    }
  }
  for (const target of targets) {
    const all = eventParams(deps, serviceSid, event, origin.source, params);
    if (target.webhookSid) Object.assign(all, { WebhookSid: target.webhookSid, WebhookType: 'webhook' });
    deps.tasks.run(
      async () => {
        await deps.dispatcher.deliver({ url: target.url, method: target.method, params: all, limitMs: CONVERSATIONS_WEBHOOK_LIMIT_MS });
      },
      (error) => deps.log(`conversations ${event} webhook failed: ${String(error)}`),
    );
  }
}

/** The parameters every Conversations webhook carries, then the event's own. */
function eventParams(
  deps: HookDeps,
  serviceSid: string,
  event: string,
  source: ActionSource,
  params: Record<string, string>,
): Record<string, string> {
  return { AccountSid: deps.accountSid, ChatServiceSid: serviceSid, EventType: event, Source: source, RetryCount: '0', ...params };
}
