import type { SyncMapStore } from './sync-map-store';

/** Why a number's consent changed. */
export type ConsentSource = 'keyword' | 'twilio-21610' | 'api';

export interface ConsentRecord {
  optedOut: boolean;
  /** ISO time of the last change. */
  at: string;
  source: ConsentSource;
  /** The keyword the person sent, when they sent one. */
  keyword?: string;
}

/** Who may not be messaged. Keyed by E.164 number; an opt-in keeps the record with optedOut false. */
export class OptOutStore {
  constructor(private readonly map: SyncMapStore<ConsentRecord>) {}

  async isOptedOut(number: string): Promise<boolean> {
    return (await this.map.get(number))?.data.optedOut ?? false;
  }

  async status(number: string): Promise<ConsentRecord | undefined> {
    return (await this.map.get(number))?.data;
  }

  optOut(number: string, source: ConsentSource, keyword?: string, now = new Date()): Promise<void> {
    return this.map.put(number, { optedOut: true, at: now.toISOString(), source, ...(keyword ? { keyword } : {}) });
  }

  optIn(number: string, source: ConsentSource, keyword?: string, now = new Date()): Promise<void> {
    return this.map.put(number, { optedOut: false, at: now.toISOString(), source, ...(keyword ? { keyword } : {}) });
  }
}
