import { badRequest } from '../http/errors';
import { MAGIC_DELIVERY_OUTCOMES, type DeliveryOutcome } from '../magic-numbers';
import type { TaskTracker } from '../tasks';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import { isWhatsApp, toWhatsApp } from '../whatsapp/addresses';
import { bareAddress } from './message-create';
import type { MessageRecord, MessageStatus, MessageStore } from './messages';

export interface LifecycleDeps {
  accountSid: string;
  store: MessageStore;
  tasks: TaskTracker;
  dispatcher: WebhookDispatcher;
  delayMs: number;
  /** The sender a Messaging Service picks when the request named none. */
  pickSender: (messagingServiceSid: string | null) => string;
  /**
   * How a queued message ends on its channel (WhatsApp: the 24-hour window, content problems,
   * magic recipients), asked when it is handed over; `null` = no channel problem.
   */
  channelOutcome?: (message: MessageRecord) => DeliveryOutcome | null;
  /** 21610 when the recipient opted out of the message's sender (or its Messaging Service); `null` otherwise. */
  optOutOutcome?: (message: MessageRecord) => DeliveryOutcome | null;
  log: (line: string) => void;
}

interface Step {
  status: MessageStatus;
  error?: DeliveryOutcome;
}

/**
 * The statuses after `queued`, in Twilio's order: sending → sent → delivered (→ read for
 * WhatsApp, whose read receipts Twilio reports as `read`), or, for an opted-out recipient
 * (`optOutOutcome`, 21610), a channel problem (`channelOutcome`) or the sandbox's failing
 * recipients (MAGIC_DELIVERY_OUTCOMES), → failed right away or sending → sent → undelivered,
 * with the error code.
 */
export function stepsAfterQueued(message: MessageRecord, deps: Pick<LifecycleDeps, 'channelOutcome' | 'optOutOutcome'>): Step[] {
  const outcome = deps.optOutOutcome?.(message) ?? deps.channelOutcome?.(message) ?? MAGIC_DELIVERY_OUTCOMES[bareAddress(message.to)];
  if (!outcome) {
    const delivered: Step[] = [{ status: 'sending' }, { status: 'sent' }, { status: 'delivered' }];
    return isWhatsApp(message.to) ? [...delivered, { status: 'read' }] : delivered;
  }
  if (outcome.status === 'failed') return [{ status: 'failed', error: outcome }];
  return [{ status: 'sending' }, { status: 'sent' }, { status: 'undelivered', error: outcome }];
}

/**
 * Walks an outbound message through Twilio's statuses, one step every `delayMs`, POSTing each
 * new status to the message's StatusCallback: accepted → queued (a Messaging Service picks
 * the sender) → sending → sent → delivered. Twilio sends no callback for the status a message
 * was created with; `announceCurrent` also announces the current status first (a scheduled
 * message that has just been queued).
 */
export function startOutboundLifecycle(message: MessageRecord, deps: LifecycleDeps, announceCurrent = false): void {
  message.inFlight = true;
  deps.tasks.run(
    async () => {
      try {
        if (announceCurrent) await announce(message, deps);
        if (message.status === 'accepted') {
          await deps.tasks.sleep(deps.delayMs);
          queue(message, deps);
          await announce(message, deps);
        }
        for (const step of stepsAfterQueued(message, deps)) {
          await deps.tasks.sleep(deps.delayMs);
          deps.store.transition(message, step.status, step.error);
          await announce(message, deps);
        }
      } finally {
        message.inFlight = false;
      }
    },
    (error) => deps.log(`lifecycle of ${message.sid} failed: ${String(error)}`),
  );
}

/** A scheduled message fell due: it is queued at once (no longer cancelable), then sent. */
export function releaseScheduled(message: MessageRecord, deps: LifecycleDeps): void {
  if (message.status !== 'scheduled') return;
  queue(message, deps);
  startOutboundLifecycle(message, deps, true);
}

/** Cancels a scheduled message (update with `Status=canceled`); anything else is 30409. */
export function cancelScheduled(message: MessageRecord, deps: LifecycleDeps): void {
  if (message.status !== 'scheduled') throw badRequest(30409, 'This message cannot be canceled');
  deps.store.transition(message, 'canceled');
  deps.tasks.run(() => announce(message, deps), (error) => deps.log(`canceled callback of ${message.sid} failed: ${String(error)}`));
}

function queue(message: MessageRecord, deps: LifecycleDeps): void {
  if (message.from === null) {
    const sender = deps.pickSender(message.messagingServiceSid);
    // The account's numbers are WhatsApp senders too: a WhatsApp recipient gets `whatsapp:<number>`.
    message.from = isWhatsApp(message.to) ? toWhatsApp(sender) : sender;
  }
  deps.store.transition(message, 'queued');
}

async function announce(message: MessageRecord, deps: LifecycleDeps): Promise<void> {
  if (!message.statusCallback) return;
  await deps.dispatcher.deliver({ url: message.statusCallback, method: 'POST', params: statusCallbackParams(deps.accountSid, message) });
}

/**
 * The parameters of a message status callback, with Twilio's names; `status` and `errorCode`
 * default to the message's own (the replay endpoint overrides them).
 */
export function statusCallbackParams(
  accountSid: string,
  m: MessageRecord,
  status: string = m.status,
  errorCode: number | null = m.errorCode,
): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    From: m.from ?? '',
    MessageSid: m.sid,
    MessageStatus: status,
    SmsSid: m.sid,
    SmsStatus: status,
    To: m.to,
  };
  if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
  if ((status === 'failed' || status === 'undelivered') && errorCode !== null) params.ErrorCode = String(errorCode);
  return params;
}
