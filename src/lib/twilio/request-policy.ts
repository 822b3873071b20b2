// The one retry policy for Twilio REST requests, by what a repeat could do.
import { isRetryableTwilioError, isTransientTwilioError } from '../errors/twilio-errors';
import type { Deadline } from '../runtime/deadline';
import { retryWithin } from '../runtime/retry';

/**
 * A request that is safe to repeat (a read, an update to a fixed state, a delete): retried with
 * jittered backoff within the deadline after "too many requests", a Twilio 5xx or a lost connection.
 */
export function repeatable<T>(deadline: Deadline, request: () => Promise<T>): Promise<T> {
  return retryWithin(request, { deadline, retryable: isTransientTwilioError });
}

/**
 * A create that would be carried out twice if repeated after it arrived (a message, a call, a
 * verification): retried only when it surely was not carried out (429-class refusals, a refused
 * connection). Any other failure is the caller's to reconcile.
 */
export function sentOnce<T>(deadline: Deadline, request: () => Promise<T>): Promise<T> {
  return retryWithin(request, { deadline, retryable: isRetryableTwilioError });
}
