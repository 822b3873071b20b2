import type { SyncMapStore } from '../stores/sync-map-store';
import { addCounts, noCounts, runSweep, type SweepCounts, type SweepCursor, type SweepLimits, type SweepStep } from './sweep';

/** A sweep between calls: where it stands and what it removed so far (kept in Sync, a week at most). */
export interface SweepProgress {
  cursor: SweepCursor;
  total: SweepCounts;
  startedAt: string;
}

/** What a call of POST /retention/run or /privacy/erase answers. */
export interface SweepReport {
  /** Removed by this call. */
  deleted: SweepCounts;
  /** Removed since this sweep began (over every call). */
  total: SweepCounts;
  /** True when the sweep went through everything; the next call starts a new one. */
  done: boolean;
  /** The list the sweep goes on from (absent when done). */
  cursor?: string;
}

/**
 * Runs one bounded batch of the sweep saved under `key`, resuming from its cursor, and saves where
 * it stopped (or removes it when done). Two callers at once are harmless: every removal is
 * idempotent, the last one to save sets the cursor.
 */
export async function continueSweep(
  sweeps: SyncMapStore<SweepProgress>,
  key: string,
  steps: readonly SweepStep[],
  limits: SweepLimits,
  now = new Date(),
): Promise<SweepReport> {
  const saved = (await sweeps.get(key))?.data;
  const { counts, cursor } = await runSweep(steps, saved?.cursor, limits);
  const total = addCounts(saved?.total ?? noCounts(), counts);
  if (cursor)
    await sweeps.put(key, { cursor, total, startedAt: saved?.startedAt ?? now.toISOString() }, { likely: saved ? 'present' : 'absent' });
  else if (saved) await sweeps.remove(key);
  return { deleted: counts, total, done: cursor === undefined, ...(cursor ? { cursor: cursor.step } : {}) };
}
