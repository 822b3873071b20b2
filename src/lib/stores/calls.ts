import { callAdvances, type CallStatus } from '../voice/call-status';
import type { SyncMapStore } from './sync-map-store';

export interface CallRecord {
  sid: string;
  to: string;
  status: CallStatus;
  history: Array<{ status: CallStatus; at: string }>;
  durationSeconds?: number;
  answeredBy?: string;
  /** For reminder calls: what the callee chose. */
  reminder?: { answer?: 'confirmed' | 'canceled'; at?: string };
}

const MAX_HISTORY = 12;

/** Calls we placed or took, with monotonic status like messages. */
export class CallStore {
  constructor(private readonly map: SyncMapStore<CallRecord>) {}

  async get(sid: string): Promise<CallRecord | undefined> {
    return (await this.map.get(sid))?.data;
  }

  async recordStatus(
    sid: string,
    to: string,
    status: CallStatus,
    extra: Pick<CallRecord, 'durationSeconds' | 'answeredBy'> = {},
    now = new Date(),
  ): Promise<CallRecord> {
    const record = await this.map.update(sid, (current) => {
      if (current && !callAdvances(current.status, status)) return undefined;
      return {
        ...(current ?? { sid, to, history: [] }),
        ...Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined)),
        status,
        history: [...(current?.history ?? []), { status, at: now.toISOString() }].slice(-MAX_HISTORY),
      };
    });
    return record as CallRecord;
  }

  async recordReminderAnswer(sid: string, to: string, answer: 'confirmed' | 'canceled', now = new Date()): Promise<void> {
    await this.map.update(sid, (current) => ({
      ...(current ?? { sid, to, status: 'in-progress', history: [] }),
      reminder: { answer, at: now.toISOString() },
    }));
  }
}
