import type { VerifyChannel } from '../config/settings';
import { knownFrom, updateFrom, type Known } from './known-write';
import type { SyncMapStore } from './sync-map-store';

/** What we know of one verification destination (a number or an email address). */
export interface DestinationRecord {
  /** Times (ms) of recent start attempts, within the rate-limit window. */
  attempts: number[];
  /** SMS codes sent since the last approval: drives the offer of a voice call. */
  smsSinceApproval: number;
  /** When the last code was sent, and on which channel. */
  lastSentAt?: number;
  lastChannel?: VerifyChannel;
}

export type Reservation = { allowed: true; record: DestinationRecord } | { allowed: false; retryAfterSeconds: number };

const EMPTY: DestinationRecord = { attempts: [], smsSinceApproval: 0 };

/** Whether one more of `max` attempts per `windowMs` fits the record, and the record with it. Pure. */
export function reserveIn(current: DestinationRecord | undefined, max: number, windowMs: number, now: number): Reservation {
  const record = current ?? EMPTY;
  const recent = record.attempts.filter((at) => at > now - windowMs);
  if (recent.length >= max) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000)) };
  return { allowed: true, record: { ...record, attempts: [...recent, now] } };
}

export const dataOf = <T>(known: Known<T>): T | undefined => (typeof known === 'object' ? known.data : undefined);

/** Per-destination verification state: our own send limit and the SMS-attempt count. */
export class VerifyDestinationStore {
  constructor(private readonly map: SyncMapStore<DestinationRecord>) {}

  /** The record with its revision, for a caller that reads it side by side with other reads. */
  async read(to: string): Promise<Known<DestinationRecord>> {
    return knownFrom(await this.map.get(to));
  }

  /**
   * Takes one of `max` attempts per `windowMs` for `to`, atomically (If-Match): concurrent
   * starts cannot both take the last one. A refusal writes nothing; a reservation returns the
   * record as written (and its revision in `known`), so callers need not read it again. With
   * `known` (the record as just read), one write and no read.
   */
  async reserveAttempt(
    to: string,
    max: number,
    windowMs: number,
    now = Date.now(),
    known: Known<DestinationRecord> = 'unread',
  ): Promise<Reservation & { known: Known<DestinationRecord> }> {
    let reservation: Reservation = { allowed: false, retryAfterSeconds: 1 };
    const written = await updateFrom(this.map, to, known, (current) => {
      reservation = reserveIn(current, max, windowMs, now);
      return reservation.allowed ? reservation.record : undefined;
    });
    return { ...reservation, known: written.known };
  }

  /** Notes a code sent; with `known` (as the reservation left it), one write and no read. */
  async recordSent(to: string, channel: VerifyChannel, now = Date.now(), known: Known<DestinationRecord> = 'unread'): Promise<void> {
    await updateFrom(this.map, to, known, (current) => {
      const record = current ?? EMPTY;
      return { ...record, lastSentAt: now, lastChannel: channel, smsSinceApproval: record.smsSinceApproval + (channel === 'sms' ? 1 : 0) };
    });
  }

  async recordApproved(to: string): Promise<void> {
    await this.map.update(to, (current) => (current && current.smsSinceApproval > 0 ? { ...current, smsSinceApproval: 0 } : undefined));
  }
}
