import { repeatable } from '../twilio/request-policy';
import type { LineFacts } from '../stores/lookup-cache';
import type { SendContext } from '../outbound/gate';
import { paidFor, type PaidAllowance } from '../spend/ceiling';

/** Line facts, and whether they were just bought from Lookup (to be kept and counted) or came from the cache. */
export interface LineAnswer {
  facts: LineFacts;
  fresh: boolean;
}

/** Whether the cached facts (if any) say too little, so Lookup must be asked (and paid for). Pure. */
export const needsLookup = (cached: LineFacts | undefined, withPumpingRisk: boolean): boolean =>
  !cached || (withPumpingRisk && cached.pumpingRiskScore === undefined);

/**
 * What Lookup v2 says of a number (line type, and SMS-pumping risk when asked), from the day-long
 * Sync cache (`cached`, read by the caller) when it says enough: a retry of the same sign-up never
 * pays for Lookup twice. A fresh answer is paid for, so it needs the spend ceiling's allowance
 * for a Lookup; it is for the caller to keep in the cache and count.
 */
export async function lineFacts(
  { twilio, deadline }: SendContext,
  number: string,
  withPumpingRisk: boolean,
  cached: LineFacts | undefined,
  allowance: PaidAllowance,
): Promise<LineAnswer> {
  if (cached && !needsLookup(cached, withPumpingRisk)) return { facts: cached, fresh: false };
  paidFor(allowance, 'lookup');

  const fields = withPumpingRisk ? 'line_type_intelligence,sms_pumping_risk' : 'line_type_intelligence';
  const answer = await repeatable(deadline, () => twilio().lookups.v2.phoneNumbers(number).fetch({ fields }));
  const lineType = (answer.lineTypeIntelligence as { type?: string | null } | null)?.type ?? null;
  // twilio-node 6 camel-cases nested fields; older helper libraries hand them over as Twilio sends them.
  const risk = answer.smsPumpingRisk as { smsPumpingRiskScore?: number | null; sms_pumping_risk_score?: number | null } | null;
  const score = risk?.smsPumpingRiskScore ?? risk?.sms_pumping_risk_score ?? null;
  return { facts: { lineType, ...(withPumpingRisk ? { pumpingRiskScore: score } : {}) }, fresh: true };
}
