import { knownFrom, updateFrom, type Known } from './known-write';
import type { SyncMapStore } from './sync-map-store';

export interface Spent {
  sends: number;
}

/**
 * Hourly send budgets by key (a number, or a number range): a pumping attack walks through one
 * premium range, so once a key has had its budget this hour, further sends to it wait for the
 * next hour.
 */
export class HourlyBudgetStore {
  constructor(private readonly map: SyncMapStore<Spent>) {}

  /** The key's spending this hour with its revision, for a caller that reads it side by side with other reads. */
  async read(key: string, hour: string): Promise<Known<Spent>> {
    return knownFrom(await this.map.get(`${key}@${hour}`));
  }

  /** Whether the budget has `units` sends left (one by default), as `known` stands. Pure. */
  static hasRoom(known: Known<Spent>, budget: number, units = 1): boolean {
    return (typeof known === 'object' ? known.data.sends : 0) + units <= budget;
  }

  /**
   * Spends `units` sends (one by default) from the key's budget for `hour`; false (and no write)
   * when they are not all left. With `known`, one write and no read.
   */
  async spend(key: string, hour: string, budget: number, known: Known<Spent> = 'unread', units = 1): Promise<boolean> {
    let spent = false;
    await updateFrom(this.map, `${key}@${hour}`, known, (current) => {
      const sends = current?.sends ?? 0;
      spent = sends + units <= budget;
      return spent ? { sends: sends + units } : undefined;
    });
    return spent;
  }

  /** Gives back a send spent for a request that was refused after all (it lost a race elsewhere). */
  async refund(key: string, hour: string): Promise<void> {
    await this.map.update(`${key}@${hour}`, (current) => (current && current.sends > 0 ? { sends: current.sends - 1 } : undefined));
  }
}
