import type { Clock } from '../clock';
import { TwilioApiError } from '../http/errors';
import type { SyncWriteLimit } from '../options';
import type { SyncWriteStats } from './write-stats';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Sync's per-object write limit as a token bucket per object: it holds
 * `perSecond * burstSeconds` writes, refills `perSecond` per second of sandbox-clock time, and a
 * write finding less than one token fails with 429 / 54009. O(1) per write.
 */
export class WriteRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(
    private readonly limit: SyncWriteLimit | false,
    private readonly clock: Clock,
    private readonly stats?: SyncWriteStats,
  ) {
    this.capacity = limit ? limit.perSecond * limit.burstSeconds : Infinity;
    this.perMs = limit ? limit.perSecond / 1000 : 0;
  }

  /**
   * Spends one write for `objectSid`, or throws 54009 when its bucket is empty; `label` (the
   * map's unique name, by default its SID) is what the write statistics are kept under.
   */
  take(objectSid: string, label: string = objectSid): void {
    if (!this.limit) {
      this.stats?.record(label, true);
      return;
    }
    const now = this.clock.now();
    let bucket = this.buckets.get(objectSid);
    if (!bucket) {
      bucket = { tokens: this.capacity, refilledAt: now };
      this.buckets.set(objectSid, bucket);
    } else if (now > bucket.refilledAt) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.refilledAt) * this.perMs);
      bucket.refilledAt = now;
    }
    if (bucket.tokens < 1) {
      this.stats?.record(label, false);
      throw new TwilioApiError(
        429,
        54009,
        `Rate limit exceeded for ${objectSid}: more than ${this.limit.perSecond} writes/s (burst ${this.capacity})`,
      );
    }
    bucket.tokens -= 1;
    this.stats?.record(label, true);
  }

  /** Drops the bucket of a deleted object. */
  forget(objectSid: string): void {
    this.buckets.delete(objectSid);
  }
}
