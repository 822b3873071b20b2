import { timingSafeEqual } from 'node:crypto';
import { badRequest, TwilioApiError } from '../http/errors';
import type { UsageCounters } from '../usage';
import type { VerifyServiceRecord } from './services';
import { MAX_CHECK_ATTEMPTS, type VerificationRecord, type VerificationStore } from './verifications';

export interface CheckDeps {
  verifications: VerificationStore;
  usage: UsageCounters;
}

function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `POST /Services/{VA}/VerificationCheck`: finds the live verification by VerificationSid or
 * To (neither → 60221; none live → 404 / 20404, as for an approved, canceled or expired one),
 * then checks the code. The right code approves it (and Twilio soft-deletes it); a wrong one
 * answers 200 `pending`, `valid: false`. After 5 checks the next one answers 429 / 60202 and
 * the verification becomes `max_attempts_reached`.
 */
export function checkVerification(service: VerifyServiceRecord, form: URLSearchParams, path: string, deps: CheckDeps): VerificationRecord {
  const verificationSid = form.get('VerificationSid')?.trim() || null;
  const to = form.get('To')?.trim() || null;
  if (!verificationSid && !to) throw badRequest(60221, 'No target verification specified');
  const code = form.get('Code') ?? '';
  if (code.length < 4 || code.length > 10) throw badRequest(60200, 'Invalid parameter: Code');

  const { verifications } = deps;
  const verification = verificationSid
    ? verifications.forSid(service.sid, verificationSid)
    : verifications.forDestination(service.sid, to as string);
  if (!verification) throw new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
  if (verification.status === 'max_attempts_reached' || verification.checkAttempts >= MAX_CHECK_ATTEMPTS) {
    verifications.setStatus(verification, 'max_attempts_reached');
    throw new TwilioApiError(429, 60202, 'Max check attempts reached');
  }

  verification.checkAttempts += 1;
  deps.usage.count('verificationChecks');
  if (sameCode(code, verification.code)) verifications.setStatus(verification, 'approved');
  return verification;
}
