import type { SyncMapStore } from './sync-map-store';

interface Spent {
  sends: number;
}

/**
 * Hourly send budgets by key (a number, or a number range): a pumping attack walks through one
 * premium range, so once a key has had its budget this hour, further sends to it wait for the
 * next hour.
 */
export class HourlyBudgetStore {
  constructor(private readonly map: SyncMapStore<Spent>) {}

  /** Spends one send from the key's budget for `hour`; false (and no write) when it is spent. */
  async spend(key: string, hour: string, budget: number): Promise<boolean> {
    let spent = false;
    await this.map.update(`${key}@${hour}`, (current) => {
      const sends = current?.sends ?? 0;
      spent = sends < budget;
      return spent ? { sends: sends + 1 } : undefined;
    });
    return spent;
  }
}
