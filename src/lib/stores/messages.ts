import { advances, leftQueue, reachedSent, type MessageStatus } from '../sms/status';
import { hourOf } from './delivery-stats';
import { updateFrom, type Known } from './known-write';
import type { StoredItem, SyncMapStore } from './sync-map-store';

interface StatusEvent {
  status: MessageStatus;
  at: string;
  errorCode?: number;
}

/** What we track of an outbound message (no body: Twilio keeps that). */
export interface MessageRecord {
  sid: string;
  to: string;
  status: MessageStatus;
  errorCode?: number;
  /** Every status that moved the message forward, oldest first. */
  history: StatusEvent[];
  segments?: number;
  encoding?: string;
  /** Media URLs we were asked to send (needed to re-send). */
  mediaUrls?: string[];
  /** For a scheduled re-send: the first message's SID and which attempt this is (1, 2, ...). */
  retryOf?: { sid: string; attempt: number };
  /** When this message's delivery failed transiently and a re-send was scheduled. */
  retriedBy?: { sid: string; sendAt: string };
  /**
   * The funnel steps a status callback has shown this message at, with the clock hour it was
   * counted in (`2026-11-23T10`): each step is counted once per message, by the write that sets it.
   */
  steps?: Partial<Record<FunnelStep, string>>;
}

/** The delivery funnel's first steps, before the outcome (delivered / undelivered / failed). */
export type FunnelStep = 'queued' | 'sent';

/** The steps a record shows after a status, with `hour` for those it had not shown yet. */
function stepsAfter(current: MessageRecord['steps'], status: MessageStatus, hour: string): MessageRecord['steps'] {
  const steps = { ...current };
  if (leftQueue(status)) steps.queued ??= hour;
  if (reachedSent(status)) steps.sent ??= hour;
  return Object.keys(steps).length > 0 ? steps : undefined;
}

/** The steps `after` shows that `before` did not: what the write from one to the other counts. */
const newSteps = (before: MessageRecord | undefined, after: MessageRecord | undefined): FunnelStep[] =>
  (['queued', 'sent'] as const).filter((step) => after?.steps?.[step] !== undefined && before?.steps?.[step] === undefined);

const MAX_HISTORY = 20;

/**
 * A record after a status callback, or undefined when the status does not move it forward (a
 * late `sent` never overwrites `delivered`).
 */
function withStatus(
  current: MessageRecord | undefined,
  { sid, to, status, errorCode }: { sid: string; to: string; status: MessageStatus; errorCode?: number },
  now: Date,
): MessageRecord | undefined {
  if (current && !advances(current.status, status)) return undefined;
  const event: StatusEvent = { status, at: now.toISOString(), ...(errorCode ? { errorCode } : {}) };
  const steps = stepsAfter(current?.steps, status, hourOf(now));
  return {
    ...(current ?? { sid, to, history: [] }),
    status,
    errorCode: errorCode ?? current?.errorCode,
    history: [...(current?.history ?? []), event].slice(-MAX_HISTORY),
    ...(steps ? { steps } : {}),
  };
}

/** Outbound message status, kept monotonic: a status never replaces a more advanced one. */
export class MessageStore {
  constructor(private readonly map: SyncMapStore<MessageRecord>) {}

  async get(sid: string): Promise<MessageRecord | undefined> {
    return (await this.map.get(sid))?.data;
  }

  /**
   * Records a message we just sent (or one Twilio told us about first). A new SID has no item yet:
   * a create, no read; when a status callback got there first, the create fails and the change is
   * applied to what the callback wrote.
   */
  async track(record: Omit<MessageRecord, 'history'>, now = new Date()): Promise<void> {
    await updateFrom(this.map, record.sid, 'absent', (current) =>
      current
        ? {
            ...current,
            segments: record.segments,
            encoding: record.encoding,
            mediaUrls: record.mediaUrls,
            retryOf: record.retryOf ?? current.retryOf,
          }
        : { ...record, history: [{ status: record.status, at: now.toISOString() }] },
    );
  }

  /** The record with its revision, for a caller that reads it side by side with other reads. */
  read(sid: string): Promise<StoredItem<MessageRecord> | undefined> {
    return this.map.get(sid);
  }

  /**
   * Applies a status callback and returns the record, with the funnel steps this write set (so
   * they are counted once: a racing write of the same step re-reads and finds it set); out-of-order
   * and repeated callbacks change nothing. With `known` (the record as just read), one write
   * without a read of its own.
   */
  async recordStatus(
    sid: string,
    to: string,
    status: MessageStatus,
    errorCode: number | undefined,
    now = new Date(),
    known: Known<MessageRecord> = 'unread',
  ): Promise<{ record: MessageRecord; reached: FunnelStep[] }> {
    let reached: FunnelStep[] = [];
    const { data } = await updateFrom(this.map, sid, known, (current) => {
      const next = withStatus(current, { sid, to, status, errorCode }, now);
      // The change may run again after a lost race: the last run is the one written.
      reached = newSteps(current, next);
      return next;
    });
    return { record: data as MessageRecord, reached };
  }

  async markRetried(sid: string, retriedBy: { sid: string; sendAt: string }): Promise<void> {
    await this.map.update(sid, (current) => (current ? { ...current, retriedBy } : undefined));
  }
}
