import { advances, type MessageStatus } from '../sms/status';
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
}

const MAX_HISTORY = 20;

/**
 * A record after a status callback, or undefined when the status does not move it forward (a
 * late `sent` never overwrites `delivered`).
 */
export function withStatus(
  current: MessageRecord | undefined,
  { sid, to, status, errorCode }: { sid: string; to: string; status: MessageStatus; errorCode?: number },
  now: Date,
): MessageRecord | undefined {
  if (current && !advances(current.status, status)) return undefined;
  const event: StatusEvent = { status, at: now.toISOString(), ...(errorCode ? { errorCode } : {}) };
  return {
    ...(current ?? { sid, to, history: [] }),
    status,
    errorCode: errorCode ?? current?.errorCode,
    history: [...(current?.history ?? []), event].slice(-MAX_HISTORY),
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
   * Applies a status callback and returns the record; out-of-order and repeated callbacks change
   * nothing. With `known` (the record as just read), one write without a read of its own.
   */
  async recordStatus(
    sid: string,
    to: string,
    status: MessageStatus,
    errorCode: number | undefined,
    now = new Date(),
    known: Known<MessageRecord> = 'unread',
  ): Promise<MessageRecord> {
    const { data } = await updateFrom(this.map, sid, known, (current) => withStatus(current, { sid, to, status, errorCode }, now));
    return data as MessageRecord;
  }

  async markRetried(sid: string, retriedBy: { sid: string; sendAt: string }): Promise<void> {
    await this.map.update(sid, (current) => (current ? { ...current, retriedBy } : undefined));
  }
}
