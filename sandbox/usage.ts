/**
 * Counts of the paid Twilio calls the sandbox has answered, so the product's tests can assert
 * how many lookups, verification sends and messages a flow costs (`GET /_sandbox/usage`), and
 * the same usage by Twilio usage category, day and price, which Usage Records list and Usage
 * Triggers watch. O(1) per call.
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

/** A Twilio usage category the sandbox bills, with its sandbox list price (USD per unit). */
export interface PricedCategory {
  category: string;
  description: string;
  unit: string;
  priceUsd: number;
}

/**
 * What each counted call costs in the sandbox: Twilio's US list prices, and Twilio's category
 * names (twilio-node's TriggerUsageCategory list). Checks cost nothing: Verify bills per
 * verification, not per check. Basic Lookups are free; each data package is billed.
 */
export const SANDBOX_PRICES: Readonly<Record<'messages' | 'verifications' | 'lookupPackage', PricedCategory>> = {
  // $0.0083 per outbound SMS segment on a US long code: https://www.twilio.com/en-us/sms/pricing/us
  messages: { category: 'sms-outbound', description: 'Outbound SMS', unit: 'messages', priceUsd: 0.0083 },
  // $0.05 per verification: https://www.twilio.com/en-us/verify/pricing
  verifications: { category: 'authy-phone-verifications', description: 'Verify verifications', unit: 'verifications', priceUsd: 0.05 },
  // $0.008 per Line Type Intelligence request (sms_pumping_risk billed alike here): https://www.twilio.com/en-us/user-authentication-identity/pricing/lookup
  lookupPackage: { category: 'lookups', description: 'Lookups', unit: 'lookups', priceUsd: 0.008 },
};

/** Twilio's roll-up of every category's price (UsageCategory `totalprice`). */
export const TOTAL_PRICE = 'totalprice';

/** Count and price of one category on one UTC day. */
export interface DayTotals {
  count: number;
  price: number;
}

/** `YYYY-MM-DD` of a UTC instant: Twilio's usage periods are in GMT (twilio_api_v2010.json, usage_trigger_enum_recurring). */
export const utcDay = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

export class UsageCounters {
  private counts = { lookups: 0, verifications: 0, verificationChecks: 0, messages: 0 };
  private packages = new Map<string, number>();
  /** category → day → totals; `totalprice` holds every category's price (its count is the number of billed items). */
  private days = new Map<string, Map<string, DayTotals>>();
  private readonly listeners: Array<(category: string) => void> = [];

  constructor(private readonly now: () => number = Date.now) {}

  count(counter: UsageCounter): void {
    this.counts[counter] += 1;
    if (counter === 'messages') this.bill(SANDBOX_PRICES.messages);
    if (counter === 'verifications') this.bill(SANDBOX_PRICES.verifications);
  }

  countPackage(field: string): void {
    this.packages.set(field, (this.packages.get(field) ?? 0) + 1);
    this.bill(SANDBOX_PRICES.lookupPackage);
  }

  /** Calls `listener` with the category of every billed item (Usage Triggers on it and on `totalprice` are evaluated then). */
  onBilled(listener: (category: string) => void): void {
    this.listeners.push(listener);
  }

  /** Totals of a category (or `totalprice`) per UTC day, `fromDay` to `toDay` inclusive (`YYYY-MM-DD`). */
  totals(category: string, fromDay: string, toDay: string): DayTotals {
    const byDay = this.days.get(category);
    // One day (a daily trigger, today's record): one lookup, however many days are stored.
    if (fromDay === toDay) return { ...(byDay?.get(fromDay) ?? { count: 0, price: 0 }) };
    const sum: DayTotals = { count: 0, price: 0 };
    for (const [day, totals] of byDay ?? []) {
      if (day < fromDay || day > toDay) continue;
      sum.count += totals.count;
      sum.price += totals.price;
    }
    return sum;
  }

  /** Categories with any usage, `totalprice` first. */
  categories(): string[] {
    return [...this.days.keys()].sort((a, b) => (a === TOTAL_PRICE ? -1 : b === TOTAL_PRICE ? 1 : a.localeCompare(b)));
  }

  snapshot(): UsageSnapshot {
    return { ...this.counts, lookupPackages: Object.fromEntries(this.packages) };
  }

  reset(): void {
    this.counts = { lookups: 0, verifications: 0, verificationChecks: 0, messages: 0 };
    this.packages = new Map();
    this.days = new Map();
  }

  private bill({ category, priceUsd }: PricedCategory): void {
    const day = utcDay(this.now());
    for (const name of [category, TOTAL_PRICE]) {
      const byDay = this.days.get(name) ?? new Map<string, DayTotals>();
      this.days.set(name, byDay);
      const totals = byDay.get(day) ?? { count: 0, price: 0 };
      byDay.set(day, { count: totals.count + 1, price: totals.price + priceUsd });
    }
    for (const listener of this.listeners) listener(category);
  }
}
