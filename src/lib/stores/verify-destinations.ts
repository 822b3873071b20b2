import type { VerifyChannel } from '../config/settings';
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

/** Per-destination verification state: our own send limit and the SMS-attempt count. */
export class VerifyDestinationStore {
  constructor(private readonly map: SyncMapStore<DestinationRecord>) {}

  async get(to: string): Promise<DestinationRecord> {
    return (await this.map.get(to))?.data ?? EMPTY;
  }

  /**
   * Takes one of `max` attempts per `windowMs` for `to`, atomically (If-Match): concurrent
   * starts cannot both take the last one. A refusal writes nothing; a reservation returns the
   * record as written, so callers need not read it again.
   */
  async reserveAttempt(to: string, max: number, windowMs: number, now = Date.now()): Promise<Reservation> {
    let reservation: Reservation = { allowed: false, retryAfterSeconds: 1 };
    await this.map.update(to, (current) => {
      const record = current ?? EMPTY;
      const recent = record.attempts.filter((at) => at > now - windowMs);
      if (recent.length >= max) {
        reservation = { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000)) };
        return undefined;
      }
      const next = { ...record, attempts: [...recent, now] };
      reservation = { allowed: true, record: next };
      return next;
    });
    return reservation;
  }

  async recordSent(to: string, channel: VerifyChannel, now = Date.now()): Promise<void> {
    await this.map.update(to, (current) => {
      const record = current ?? EMPTY;
      return { ...record, lastSentAt: now, lastChannel: channel, smsSinceApproval: record.smsSinceApproval + (channel === 'sms' ? 1 : 0) };
    });
  }

  async recordApproved(to: string): Promise<void> {
    await this.map.update(to, (current) => (current && current.smsSinceApproval > 0 ? { ...current, smsSinceApproval: 0 } : undefined));
  }
}
