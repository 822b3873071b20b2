import type { VerifySettings, VerifyChannel } from '../config/settings';
import { AppError } from '../errors/app-error';
import { fromTwilioError, isTwilioRestError } from '../errors/twilio-errors';
import { log } from '../logging/log';
import type { LineFacts } from '../stores/lookup-cache';

/** Line types a text (SMS, WhatsApp) code may go to; everything else is refused. */
const TEXTABLE = new Set(['mobile', 'fixedVoip', 'nonFixedVoip', 'personal']);
/** Line types no code goes to at all: where the callee's carrier is paid per call or message. */
const PAID_TO_RECEIVE = new Set(['premium', 'sharedCost', 'uan']);

/**
 * Refuses a destination Lookup says is wrong for the channel: premium and shared-cost lines for
 * every channel, and for SMS/WhatsApp anything but a mobile or VoIP line (a landline gets the
 * hint to use a call); and, when sms_pumping_risk is on, a risk score at or over PUMPING_RISK_MAX.
 */
export function refuseRiskyLine(channel: VerifyChannel, facts: LineFacts, verify: VerifySettings): void {
  const type = facts.lineType ?? 'unknown';
  if (PAID_TO_RECEIVE.has(type)) {
    throw new AppError(403, 'line_type_not_allowed', `Codes are not sent to ${type} numbers`, { details: { lineType: type } });
  }
  const texting = channel === 'sms' || channel === 'whatsapp';
  if (texting && !TEXTABLE.has(type)) {
    const suggestCall = type === 'landline' && verify.channels.includes('call');
    throw new AppError(
      400,
      'line_type_not_allowed',
      `A ${type} number cannot receive a code by ${channel}${suggestCall ? '; use channel "call"' : ''}`,
      {
        details: { lineType: type, ...(suggestCall ? { suggestedChannel: 'call' } : {}) },
      },
    );
  }
  const score = facts.pumpingRiskScore;
  if (texting && verify.lookupPumpingRisk && typeof score === 'number' && score >= verify.pumpingRiskMax) {
    throw new AppError(403, 'pumping_risk', 'This number is at high risk of SMS pumping fraud; no code was sent');
  }
}

/** Refusals that tell what kind of line a number is (ours, Lookup's, Twilio's): an oracle for anyone. */
const LINE_VERDICTS: ReadonlySet<string> = new Set([
  'line_type_not_allowed',
  'number_type_not_allowed',
  'pumping_risk',
  'landline',
  'blocked_by_fraud_guard',
]);

/**
 * What an unauthenticated page sees of a line verdict: one generic refusal, whatever the line
 * is, so /verify/start cannot be used to learn a number's line type from a Lookup the owner pays
 * for. The real reason goes to the log here and to /verify/stats by the refusal listener.
 */
export function concealLineVerdict(error: unknown): unknown {
  const known = isTwilioRestError(error) ? fromTwilioError(error) : error;
  if (!(known instanceof AppError) || !LINE_VERDICTS.has(known.code)) return error;
  log('info', 'verify_destination_refused', { reason: known.code });
  return new AppError(422, 'destination_refused', 'A code cannot be sent to this destination; try another number or channel');
}
