import { AppError } from '../errors/app-error';
import { isRetryableTwilioError, isTwilioRestError } from '../errors/twilio-errors';

/**
 * Whether a failed send surely reached no one: refused by us before the create (the gate, a
 * missing setting), refused by Twilio with a 4xx (429 included), or never carried out (a refused
 * connection). A 5xx, a lost connection or a bug may have come after Twilio took the message: the
 * work it guarded must then be reconciled or left claimed, never done again blindly.
 */
export function surelyNotSent(error: unknown): boolean {
  const cause = error instanceof AppError && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AppError) return true;
  if (isTwilioRestError(cause)) return cause.status < 500;
  return isRetryableTwilioError(cause);
}
