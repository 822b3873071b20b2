import type { TaskTracker } from '../tasks';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import type { MessageRecord, MessageStatus, MessageStore } from './messages';

export interface LifecycleDeps {
  accountSid: string;
  store: MessageStore;
  tasks: TaskTracker;
  dispatcher: WebhookDispatcher;
  delayMs: number;
  /** The sender a Messaging Service picks when the request named none. */
  pickSender: () => string;
  log: (line: string) => void;
}

/** Outbound statuses after creation, in Twilio's order. */
const OUTBOUND_STEPS: readonly MessageStatus[] = ['sending', 'sent', 'delivered'];

/**
 * Walks an outbound message through Twilio's statuses (accepted → queued → sending → sent →
 * delivered), one step every `delayMs`, POSTing each new status to the message's
 * StatusCallback. Twilio sends no callback for the status the message was created with.
 */
export function startOutboundLifecycle(message: MessageRecord, deps: LifecycleDeps): void {
  deps.tasks.run(
    async () => {
      const steps: MessageStatus[] = message.status === 'accepted' ? ['queued', ...OUTBOUND_STEPS] : [...OUTBOUND_STEPS];
      for (const status of steps) {
        await deps.tasks.sleep(deps.delayMs);
        if (status === 'queued' && message.from === null) message.from = deps.pickSender();
        deps.store.transition(message, status);
        if (message.statusCallback) {
          await deps.dispatcher.deliver({ url: message.statusCallback, method: 'POST', params: statusCallbackParams(deps.accountSid, message) });
        }
      }
    },
    (error) => deps.log(`lifecycle of ${message.sid} failed: ${String(error)}`),
  );
}

/** The parameters of a message status callback, with Twilio's names. */
export function statusCallbackParams(accountSid: string, m: MessageRecord): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    From: m.from ?? '',
    MessageSid: m.sid,
    MessageStatus: m.status,
    SmsSid: m.sid,
    SmsStatus: m.status,
    To: m.to,
  };
  if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
  if ((m.status === 'failed' || m.status === 'undelivered') && m.errorCode !== null) params.ErrorCode = String(m.errorCode);
  return params;
}
