import { badRequest } from '../http/errors';
import { MAGIC_DELIVERY_OUTCOMES, MAGIC_NO_RECEIPT_TO, type DeliveryOutcome } from '../magic-numbers';
import { VALIDITY_PERIOD_EXPIRED, type Admission, type MessagingThroughput } from '../messaging/throughput';
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
  /** The sender (bare number or short code) a Messaging Service picks when the request named none and throughput does not choose. */
  pickSender: (messagingServiceSid: string | null, whatsApp: boolean) => string;
  /**
   * Sender throughput and Twilio's outbound queue: under `enforced` a queued message waits for its
   * sender's slot (sandbox clock) or fails with 30001 / 30036; absent or `off`, it goes on at once.
   */
  throughput?: MessagingThroughput;
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
 * with the error code; the silent recipient (MAGIC_NO_RECEIPT_TO) stops at sent.
 */
function stepsAfterQueued(message: MessageRecord, deps: Pick<LifecycleDeps, 'channelOutcome' | 'optOutOutcome'>): Step[] {
  const outcome = deps.optOutOutcome?.(message) ?? deps.channelOutcome?.(message) ?? MAGIC_DELIVERY_OUTCOMES[bareAddress(message.to)];
  // The sandbox's silent recipient: handed to the carrier, never a receipt.
  if (!outcome && bareAddress(message.to) === MAGIC_NO_RECEIPT_TO) return [{ status: 'sending' }, { status: 'sent' }];
  if (!outcome) {
    const delivered: Step[] = [{ status: 'sending' }, { status: 'sent' }, { status: 'delivered' }];
    return isWhatsApp(message.to) ? [...delivered, { status: 'read' }] : delivered;
  }
  if (outcome.status === 'failed') return [{ status: 'failed', error: outcome }];
  return [{ status: 'sending' }, { status: 'sent' }, { status: 'undelivered', error: outcome }];
}

const NOW: Admission = { kind: 'now' };

/**
 * Walks an outbound message through Twilio's statuses, one step every `delayMs`, POSTing each
 * new status to the message's StatusCallback: accepted → queued (a Messaging Service picks
 * the sender) → (its turn on the sender, under enforced throughput) → sending → sent → delivered.
 * Twilio sends no callback for the status a message was created with; `announceCurrent` also
 * announces the current status first (a scheduled message that has just been queued).
 */
export function startOutboundLifecycle(message: MessageRecord, deps: LifecycleDeps, announceCurrent = false): void {
  // A direct send (queued at create, its From given) takes its place on its sender at once; its
  // create already refused a full sender (21611), so it is never refused here.
  const admission = message.status === 'queued' && !announceCurrent ? admit(message, deps) : NOW;
  runLifecycle(message, deps, admission, announceCurrent);
}

function runLifecycle(message: MessageRecord, deps: LifecycleDeps, admission: Admission, announceCurrent: boolean): void {
  message.inFlight = true;
  let held = false;
  deps.tasks.run(
    async () => {
      try {
        if (announceCurrent) await announce(message, deps);
        let next = admission;
        if (message.status === 'accepted') {
          await deps.tasks.sleep(deps.delayMs);
          next = queue(message, deps);
          await announce(message, deps);
        }
        if (next.kind === 'failed') return;
        if (next.kind === 'wait' && deps.throughput) {
          // Stays queued, off the task list (like a scheduled message), until its sender's turn.
          held = true;
          const { then } = next;
          deps.throughput.hold(message, next, (at) => resumeHeld(message, then, at, deps));
          return;
        }
        await walkAfterQueued(message, deps);
      } finally {
        if (!held) message.inFlight = false;
      }
    },
    (error) => deps.log(`lifecycle of ${message.sid} failed: ${String(error)}`),
  );
}

/** A held message's turn came (`at`, sandbox clock): it is sent, or its validity period ran out (30036). */
function resumeHeld(message: MessageRecord, then: 'send' | 'expire', at: number, deps: LifecycleDeps): void {
  message.inFlight = true;
  deps.tasks.run(
    async () => {
      try {
        if (then === 'expire') {
          deps.store.transition(message, 'failed', VALIDITY_PERIOD_EXPIRED, at);
          await announce(message, deps);
          return;
        }
        await walkAfterQueued(message, deps, at);
      } finally {
        message.inFlight = false;
      }
    },
    (error) => deps.log(`lifecycle of ${message.sid} failed: ${String(error)}`),
  );
}

/**
 * The steps after `queued`. `slotAt`: the instant the sender's turn came; when the clock was
 * advanced past it, the steps are dated then (date_sent shows the sender's pace), not at release.
 */
async function walkAfterQueued(message: MessageRecord, deps: LifecycleDeps, slotAt?: number): Promise<void> {
  for (const step of stepsAfterQueued(message, deps)) {
    await deps.tasks.sleep(deps.delayMs);
    deps.store.transition(message, step.status, step.error, slotAt);
    await announce(message, deps);
  }
}

/** A scheduled message fell due: it is queued at once (no longer cancelable), then sent. */
export function releaseScheduled(message: MessageRecord, deps: LifecycleDeps): void {
  if (message.status !== 'scheduled') return;
  const admission = queue(message, deps);
  runLifecycle(message, deps, admission, true);
}

/** Cancels a scheduled message (update with `Status=canceled`); anything else is 30409. */
export function cancelScheduled(message: MessageRecord, deps: LifecycleDeps): void {
  if (message.status !== 'scheduled') throw badRequest(30409, 'This message cannot be canceled');
  deps.store.transition(message, 'canceled');
  deps.tasks.run(
    () => announce(message, deps),
    (error) => deps.log(`canceled callback of ${message.sid} failed: ${String(error)}`),
  );
}

/** Throughput's verdict on a message being queued; a refusal (30001) fails it at once. */
function admit(message: MessageRecord, deps: LifecycleDeps): Admission {
  const admission = deps.throughput?.admit(message) ?? NOW;
  if (admission.kind === 'failed') deps.store.transition(message, 'failed', admission.error);
  return admission;
}

/**
 * Queues a message of a Messaging Service (or a released scheduled one): throughput picks the pool
 * sender that can send it soonest (under enforced), else the service's first sender; the message
 * is then `queued`, or `failed` with 30001 when every sender's queue is full.
 */
function queue(message: MessageRecord, deps: LifecycleDeps): Admission {
  const admission = admit(message, deps);
  if (message.from === null) {
    const whatsApp = isWhatsApp(message.to);
    const sender = deps.pickSender(message.messagingServiceSid, whatsApp);
    // The account's numbers are WhatsApp senders too: a WhatsApp recipient gets `whatsapp:<number>`.
    message.from = whatsApp ? toWhatsApp(sender) : sender;
  }
  if (admission.kind !== 'failed') deps.store.transition(message, 'queued');
  return admission;
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
