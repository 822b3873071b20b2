import { AppError } from '../errors/app-error';
import { isTwilioRestError } from '../errors/twilio-errors';
import type { VerificationHandle } from './handle';
import { requireHandleFor } from './handle';
import { concealLineVerdict } from './line-policy';
import { countVerify } from './stats';
import { verifyServiceSid, type VerifyContext } from './start';

const notValid = (status: number, code: string, message: string) => new AppError(status, code, message, { beside: { valid: false } });

/**
 * Checks a code with Twilio Verify, once the handle proves the caller is the one who asked for it
 * (refused before Twilio otherwise, so no attempt is spent). Only `approved` is valid; a wrong
 * code, nothing pending and a refused handle are each their own reason for /verify/stats, and one
 * answer for the page (`concealCheckVerdict`); too many attempts is 429.
 */
export async function checkCode(
  context: VerifyContext,
  { to, key, code, verification }: { to: string; key: string; code: string; verification: VerificationHandle },
): Promise<{ valid: true }> {
  const { stores, twilio, settings } = context;
  const serviceSid = verifyServiceSid(context);
  requireHandleFor(settings, verification, { to, serviceSid });
  let status: string;
  try {
    status = (await twilio().verify.v2.services(serviceSid).verificationChecks.create({ to, code })).status;
  } catch (error) {
    if (!isTwilioRestError(error)) throw error;
    if (error.code === 60202) {
      throw notValid(429, 'max_attempts_reached', 'Too many wrong codes; ask for a new code');
    }
    // Twilio answers 404 when nothing was sent, and when the code was approved, canceled or has expired.
    if (error.status === 404) throw new AppError(422, 'no_pending_verification', 'No code is waiting for this destination');
    throw error;
  }
  if (status === 'approved') {
    await stores.verifyDestinations.recordApproved(key);
    await countVerify(stores, 'approved');
    return { valid: true };
  }
  if (status === 'max_attempts_reached') {
    throw notValid(429, 'max_attempts_reached', 'Too many wrong codes; ask for a new code');
  }
  throw new AppError(422, 'incorrect_code', 'The code is not correct');
}

/** The check's reasons a page must not tell apart: else /verify/check says whether a number has a code pending. */
const NOT_VALID: ReadonlySet<string> = new Set([
  'incorrect_code',
  'no_pending_verification',
  'verification_mismatch',
  'verification_expired',
]);

/**
 * What a page sees of a failed check: one answer (422 `incorrect_code`, status and body alike)
 * for a wrong code, nothing pending and a handle that is altered, expired or another
 * destination's; line verdicts concealed as at the start. /verify/stats still counts the real reason.
 */
export function concealCheckVerdict(error: unknown): unknown {
  const concealed = concealLineVerdict(error);
  if (!(concealed instanceof AppError) || !NOT_VALID.has(concealed.code)) return concealed;
  return notValid(422, 'incorrect_code', 'The code is not correct, or it is no longer valid: check it, or ask for a new code');
}
