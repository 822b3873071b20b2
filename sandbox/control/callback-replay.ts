import { statusCallbackParams } from '../api/message-lifecycle';
import { TWILIO_MESSAGE_STATUSES, type MessageStore } from '../api/messages';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import { ControlError, optionalNumber, requireString } from './errors';

export interface CallbackReplayDeps {
  accountSid: string;
  messages: MessageStore;
  dispatcher: WebhookDispatcher;
}

export interface ReplayedDelivery {
  messageStatus: string;
  /** HTTP status of the answer; `null` when the request failed. */
  status: number | null;
  /** Requests made for it (retries per the URL's connection overrides included). */
  attempts: number;
  /** Twilio's error when it failed (11200 for a 4xx / 5xx answer, 11205, …). */
  errorCode?: number;
  error?: string;
}

export interface CallbackReplayResult {
  sid: string;
  url: string;
  deliveries: ReplayedDelivery[];
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(TWILIO_MESSAGE_STATUSES);

/**
 * `POST /_sandbox/callbacks/replay { sid, statuses, errorCode?, url? }`: POSTs one signed status
 * callback per entry of `statuses`, in that order (each after the previous one was answered),
 * with the parameters a real callback of that message would carry, to `url` or the message's
 * StatusCallback. Lets tests play duplicate and out-of-order callbacks. The message itself is
 * not changed. `errorCode` (default: the message's) is sent with `failed` / `undelivered`.
 */
export async function replayCallbacks(body: Record<string, unknown>, deps: CallbackReplayDeps): Promise<CallbackReplayResult> {
  const sid = requireString(body, 'sid');
  const statuses = body.statuses;
  if (!Array.isArray(statuses) || statuses.length === 0 || !statuses.every((s): s is string => typeof s === 'string')) {
    throw new ControlError(400, 'invalid_request', '"statuses" must be a non-empty array of strings');
  }
  const unknown = statuses.filter((s) => !KNOWN_STATUSES.has(s));
  if (unknown.length > 0) {
    throw new ControlError(
      400,
      'invalid_request',
      `unknown message status(es): ${unknown.join(', ')} (expected one of ${TWILIO_MESSAGE_STATUSES.join(', ')})`,
    );
  }
  const errorCode = optionalNumber(body, 'errorCode');
  if (errorCode !== undefined && !Number.isInteger(errorCode))
    throw new ControlError(400, 'invalid_request', '"errorCode" must be an integer');
  if (body.url !== undefined && typeof body.url !== 'string') throw new ControlError(400, 'invalid_request', '"url" must be a string');

  const message = deps.messages.get(sid);
  if (!message) throw new ControlError(404, 'unknown_message', `No message ${sid}`);
  const url = body.url || message.statusCallback;
  if (!url) throw new ControlError(409, 'no_status_callback', `Message ${sid} has no StatusCallback; pass "url"`);

  const deliveries: ReplayedDelivery[] = [];
  for (const status of statuses) {
    const params = statusCallbackParams(deps.accountSid, message, status, errorCode ?? message.errorCode);
    const result = await deps.dispatcher.deliver({ url, method: 'POST', params });
    const delivery: ReplayedDelivery = { messageStatus: status, status: result.status, attempts: result.attempts };
    if (result.errorCode !== undefined) delivery.errorCode = result.errorCode;
    if (result.error) delivery.error = result.error;
    deliveries.push(delivery);
  }
  return { sid, url, deliveries };
}
