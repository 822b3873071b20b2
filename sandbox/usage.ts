/**
 * Counts of the paid Twilio calls the sandbox has answered, so the product's tests can assert
 * how many lookups, verification sends and messages a flow costs (`GET /_sandbox/usage`).
 * O(1) per call.
 */
export interface UsageSnapshot {
  /** Lookup v2 PhoneNumbers fetches answered 200 (valid or not). */
  lookups: number;
  /** Lookups per requested data package (`line_type_intelligence`, `sms_pumping_risk`), each billed apart by Twilio. */
  lookupPackages: Record<string, number>;
  /** Verification sends answered 201: new verifications and re-sends of a pending one. */
  verifications: number;
  /** Verification checks that reached a verification and were answered 200 (approved or not). */
  verificationChecks: number;
  /** Messages created through the Messages REST API (201), not verification codes nor TwiML replies. */
  messages: number;
}

export type UsageCounter = 'lookups' | 'verifications' | 'verificationChecks' | 'messages';

export class UsageCounters {
  private counts = { lookups: 0, verifications: 0, verificationChecks: 0, messages: 0 };
  private packages = new Map<string, number>();

  count(counter: UsageCounter): void {
    this.counts[counter] += 1;
  }

  countPackage(field: string): void {
    this.packages.set(field, (this.packages.get(field) ?? 0) + 1);
  }

  snapshot(): UsageSnapshot {
    return { ...this.counts, lookupPackages: Object.fromEntries(this.packages) };
  }

  reset(): void {
    this.counts = { lookups: 0, verifications: 0, verificationChecks: 0, messages: 0 };
    this.packages = new Map();
  }
}
