/**
 * SMS Pumping Risk, deterministic by number. Twilio documents SMS Pumping Risk magic numbers for
 * its test credentials, but their table could not be consulted offline, so these rules are the
 * sandbox's own (sandbox/README.md): the Verify Fraud Guard range is blocked, premium-rate
 * numbers are high risk, shared-cost numbers moderate, everything else low (score ≤ 10).
 */
import { FRAUD_GUARD_PREFIX } from '../verify/magic';
import type { LineType } from './line-types';

export interface PumpingRisk {
  carrierRiskCategory: 'low' | 'mild' | 'moderate' | 'high';
  numberBlocked: boolean;
  /** ISO 8601, `null` unless blocked. */
  numberBlockedDate: string | null;
  numberBlockedLast3Months: boolean;
  /** 0 (no risk) … 100. */
  score: number;
}

/** A fixed date keeps the answer deterministic. */
const BLOCKED_SINCE = '2026-01-01T00:00:00Z';

/** The SMS Pumping Risk facts of a valid E.164 number of the given line type. O(length). */
export function pumpingRiskOf(e164: string, type: LineType): PumpingRisk {
  if (e164.startsWith(FRAUD_GUARD_PREFIX)) {
    return {
      carrierRiskCategory: 'high',
      numberBlocked: true,
      numberBlockedDate: BLOCKED_SINCE,
      numberBlockedLast3Months: true,
      score: 100,
    };
  }
  if (type === 'premium')
    return { carrierRiskCategory: 'high', numberBlocked: false, numberBlockedDate: null, numberBlockedLast3Months: false, score: 95 };
  if (type === 'sharedCost')
    return { carrierRiskCategory: 'moderate', numberBlocked: false, numberBlockedDate: null, numberBlockedLast3Months: false, score: 61 };
  let digitSum = 0;
  for (const ch of e164) if (ch >= '0' && ch <= '9') digitSum += Number(ch);
  return {
    carrierRiskCategory: 'low',
    numberBlocked: false,
    numberBlockedDate: null,
    numberBlockedLast3Months: false,
    score: digitSum % 11,
  };
}
