import type { SyncMapStore } from './sync-map-store';

/** The parts of a Lookup v2 answer the defences use. */
export interface LineFacts {
  /** line_type_intelligence.type (mobile, landline, tollFree, premium, ...), null when unknown. */
  lineType: string | null;
  /** sms_pumping_risk.sms_pumping_risk_score (0-100), when it was asked for. */
  pumpingRiskScore?: number | null;
}

/** Lookup answers kept a day (item TTL), so a retry never pays for the same Lookup twice. */
export class LookupCache {
  constructor(private readonly map: SyncMapStore<LineFacts>) {}

  async get(number: string): Promise<LineFacts | undefined> {
    return (await this.map.get(number))?.data;
  }

  async put(number: string, facts: LineFacts): Promise<void> {
    await this.map.put(number, facts);
  }
}
