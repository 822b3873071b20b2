/** Counts of Sync writes: accepted (`writes`) and refused with 429 / 54009 (`rejected`). */
export interface WriteCounts {
  writes: number;
  rejected: number;
}

export interface SyncWriteStatsSnapshot extends WriteCounts {
  /** Per map, keyed by its unique name (or SID when it has none). */
  perMap: Record<string, WriteCounts>;
}

/**
 * What `GET /_sandbox/sync/stats` reports, so a burst test can prove the write limit was on and
 * was hit. Every write that reaches the rate limiter is counted, whether or not the limit is on;
 * writes refused earlier (404, 409, 412, …) are not. O(1) per write.
 */
export class SyncWriteStats {
  private total: WriteCounts = { writes: 0, rejected: 0 };
  private perObject = new Map<string, WriteCounts>();

  record(label: string, accepted: boolean): void {
    let counts = this.perObject.get(label);
    if (!counts) {
      counts = { writes: 0, rejected: 0 };
      this.perObject.set(label, counts);
    }
    const field = accepted ? 'writes' : 'rejected';
    counts[field] += 1;
    this.total[field] += 1;
  }

  snapshot(): SyncWriteStatsSnapshot {
    const perMap: Record<string, WriteCounts> = {};
    for (const [label, counts] of this.perObject) perMap[label] = { ...counts };
    return { ...this.total, perMap };
  }

  reset(): void {
    this.total = { writes: 0, rejected: 0 };
    this.perObject = new Map();
  }
}
