import type { SyncMapStore } from './sync-map-store';

interface Spent {
  sends: number;
}

/**
 * An hourly send budget per number range: a pumping attack walks through one premium range, so
 * once a range has had its budget this hour, further sends to it wait for the next hour.
 */
export class RangeBudgetStore {
  constructor(private readonly map: SyncMapStore<Spent>) {}

  /** Spends one send from the range's budget for `hour`; false (and no write) when it is spent. */
  async spend(range: string, hour: string, budget: number): Promise<boolean> {
    let spent = false;
    await this.map.update(`${range}@${hour}`, (current) => {
      const sends = current?.sends ?? 0;
      spent = sends < budget;
      return spent ? { sends: sends + 1 } : undefined;
    });
    return spent;
  }
}
