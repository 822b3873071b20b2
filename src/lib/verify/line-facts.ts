import type { Stores } from '../stores';
import type { LineFacts } from '../stores/lookup-cache';
import type { SendContext } from '../outbound/gate';
import { countVerify } from './stats';
import { repeatable } from '../twilio/request-policy';

/**
 * What Lookup v2 says of a number (line type, and SMS-pumping risk when asked), from the day-long
 * Sync cache when possible: a retry of the same sign-up never pays for Lookup twice.
 */
export async function lineFacts(context: SendContext & { stores: Stores }, number: string, withPumpingRisk: boolean): Promise<LineFacts> {
  const { stores, twilio, deadline } = context;
  const cached = await stores.lookups.get(number);
  if (cached && (!withPumpingRisk || cached.pumpingRiskScore !== undefined)) return cached;

  const fields = withPumpingRisk ? 'line_type_intelligence,sms_pumping_risk' : 'line_type_intelligence';
  const answer = await repeatable(deadline, () => twilio().lookups.v2.phoneNumbers(number).fetch({ fields }));
  await countVerify(stores, 'paid:lookup');
  const lineType = (answer.lineTypeIntelligence as { type?: string | null } | null)?.type ?? null;
  // twilio-node 6 camel-cases nested fields; older helper libraries hand them over as Twilio sends them.
  const risk = answer.smsPumpingRisk as { smsPumpingRiskScore?: number | null; sms_pumping_risk_score?: number | null } | null;
  const score = risk?.smsPumpingRiskScore ?? risk?.sms_pumping_risk_score ?? null;
  const facts: LineFacts = { lineType, ...(withPumpingRisk ? { pumpingRiskScore: score } : {}) };
  await stores.lookups.put(number, facts);
  return facts;
}
