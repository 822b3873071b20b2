import type { Clock } from '../clock';
import { newSid } from '../sids';

/**
 * The account's short codes (`shortCodes` option): outbound SMS senders of 3–8 digits that can be
 * a message's `From` and sit in Messaging Service sender pools (`/v1/Services/{MG}/ShortCodes`).
 * The sandbox emulates them for throughput (a short code sends 100 segments per second by
 * default); inbound messages to a short code, MMS and their country rules are not emulated.
 */
export interface ShortCodeRecord {
  /** `SC` + 32 hex digits. */
  readonly sid: string;
  /** The digits, e.g. `"894546"`, as Twilio's `short_code` field shows them. */
  readonly shortCode: string;
  readonly dateCreated: number;
  readonly dateUpdated: number;
}

const SHORT_CODE = /^\d{3,8}$/;

/** True when `value` is shaped like a short code (3–8 digits, no `+`). */
export function isShortCode(value: string): boolean {
  return SHORT_CODE.test(value);
}

export class ShortCodeStore {
  private readonly byCode = new Map<string, ShortCodeRecord>();

  constructor(clock: Clock, codes: readonly string[]) {
    const now = clock.now();
    codes.forEach((code, i) => {
      if (!isShortCode(code)) throw new RangeError(`shortCodes[${i}] must be 3 to 8 digits, got ${code}`);
      if (!this.byCode.has(code)) this.byCode.set(code, { sid: newSid('SC'), shortCode: code, dateCreated: now, dateUpdated: now });
    });
  }

  owns(code: string): boolean {
    return this.byCode.has(code);
  }

  byShortCode(code: string): ShortCodeRecord | undefined {
    return this.byCode.get(code);
  }

  /** In the order given. */
  all(): ShortCodeRecord[] {
    return [...this.byCode.values()];
  }
}
