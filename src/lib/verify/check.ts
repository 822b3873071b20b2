import { AppError } from '../errors/app-error';
import { isTwilioRestError } from '../errors/twilio-errors';
import { countVerify } from './stats';
import { verifyServiceSid, type VerifyContext } from './start';

/** Twilio Verify codes are valid for 10 minutes (the service default). */
const CODE_LIFETIME_MS = 10 * 60_000;

const notValid = (status: number, code: string, message: string) => new AppError(status, code, message, { beside: { valid: false } });

/**
 * Checks a code with Twilio Verify. Only `approved` is valid; a wrong code, an expired or missing
 * verification and too many attempts are each their own 4xx with `valid: false`.
 */
export async function checkCode(
  context: VerifyContext,
  { to, key }: { to: string; key: string },
  code: string,
  now = Date.now(),
): Promise<{ valid: true }> {
  const { stores, twilio } = context;
  let status: string;
  try {
    status = (await twilio().verify.v2.services(verifyServiceSid(context)).verificationChecks.create({ to, code })).status;
  } catch (error) {
    if (!isTwilioRestError(error)) throw error;
    if (error.code === 60202) {
      throw notValid(429, 'max_attempts_reached', 'Too many wrong codes; ask for a new code');
    }
    if (error.status !== 404) throw error;
    // Twilio answers 404 both when nothing was sent and when the code has expired: tell them apart.
    const { lastSentAt } = await stores.verifyDestinations.get(key);
    const expired = lastSentAt !== undefined && now - lastSentAt >= CODE_LIFETIME_MS;
    throw expired
      ? notValid(410, 'verification_expired', 'The code has expired; ask for a new one')
      : notValid(404, 'no_pending_verification', 'No code is waiting for this destination; ask for one first');
  }
  if (status === 'approved') {
    await stores.verifyDestinations.recordApproved(key);
    await countVerify(stores, 'approved');
    return { valid: true };
  }
  if (status === 'max_attempts_reached') {
    throw notValid(429, 'max_attempts_reached', 'Too many wrong codes; ask for a new code');
  }
  throw notValid(422, 'incorrect_code', 'The code is not correct');
}
