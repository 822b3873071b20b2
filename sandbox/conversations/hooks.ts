import type { TaskTracker } from '../tasks';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import type { ConversationRecord, ConversationStore, HookMethod } from './store';

/** Conversations webhooks "have a maximum timeout of 5 seconds" (https://twilio.com/docs/conversations/conversations-webhooks). */
const CONVERSATIONS_WEBHOOK_LIMIT_MS = 5000;

/** Where an action came from, as the webhooks' `Source` names it (https://twilio.com/docs/conversations/conversations-webhooks). */
export type ActionSource = 'API' | 'SDK' | 'SMS' | 'WHATSAPP';

export interface HookDeps {
  accountSid: string;
  store: ConversationStore;
  dispatcher: WebhookDispatcher;
  tasks: TaskTracker;
  log: (line: string) => void;
}

/** The service's pre-action target for `event`, if its filters name it. */
function preTarget(deps: HookDeps, serviceSid: string, event: string): { url: string; method: HookMethod } | undefined {
  const hooks = deps.store.services.get(serviceSid)?.webhooks;
  if (!hooks?.preWebhookUrl || !hooks.filters.includes(event)) return undefined;
  return { url: hooks.preWebhookUrl, method: hooks.method };
}

/**
 * A pre-action webhook (`onMessageAdd`, `onConversationAdd`, `onParticipantAdd`…): fired before the
 * action and only for actions from the SDK or a messaging channel, never the REST API ("Pre-event
 * webhooks are fired only for actions from the Chat SDK; the REST API actions will never fire them",
 * https://www.twilio.com/docs/chat/webhook-events, and the Conversations page's pre-action table,
 * https://twilio.com/docs/conversations/conversations-webhooks). True when the action may go on:
 * no hook, or a 2xx answer within 5 s; any other answer (or none) rejects it.
 */
export async function preAction(
  deps: HookDeps,
  serviceSid: string,
  event: string,
  source: ActionSource,
  params: Record<string, string>,
): Promise<boolean> {
  if (source === 'API') return true;
  const target = preTarget(deps, serviceSid, event);
  if (!target) return true;
  const result = await deps.dispatcher.deliver({
    url: target.url,
    method: target.method,
    params: eventParams(deps, serviceSid, event, source, params),
    limitMs: CONVERSATIONS_WEBHOOK_LIMIT_MS,
  });
  return result.status !== null && result.status >= 200 && result.status < 300;
}

/**
 * A post-action webhook (`onMessageAdded`, `onParticipantAdded`, `onDeliveryUpdated`,
 * `onConversationStateUpdated`…): to the service's post-action URL when its filters name the event,
 * and to each conversation-scoped webhook whose filters do (those are post-event only:
 * https://www.twilio.com/docs/conversations-classic/api/conversation-scoped-webhook-resource.md).
 * Sent in the background; the action does not wait.
 */
export function postAction(
  deps: HookDeps,
  serviceSid: string,
  conversation: ConversationRecord | null,
  event: string,
  source: ActionSource,
  params: Record<string, string>,
): void {
  const targets: Array<{ url: string; method: HookMethod; webhookSid?: string }> = [];
  const hooks = deps.store.services.get(serviceSid)?.webhooks;
  if (hooks?.postWebhookUrl && hooks.filters.includes(event)) targets.push({ url: hooks.postWebhookUrl, method: hooks.method });
  if (conversation) {
    for (const w of deps.store.webhooksOf(conversation.sid)) {
      if (w.target === 'webhook' && w.url && w.filters.includes(event)) targets.push({ url: w.url, method: w.method, webhookSid: w.sid });
    }
  }
  for (const target of targets) {
    const all = eventParams(deps, serviceSid, event, source, params);
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
