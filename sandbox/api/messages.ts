import type { Clock } from '../clock';
import { rfc2822 } from '../dates';
import type { DeliveryOutcome } from '../magic-numbers';
import { newSid } from '../sids';
import { createMedia, mediaPath, type MediaRecord } from './media';

/** Every value of Twilio's message_enum_status (what a status callback may carry). */
export const TWILIO_MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
] as const;
type TwilioMessageStatus = (typeof TWILIO_MESSAGE_STATUSES)[number];

/** Message status values the sandbox produces itself. */
export type MessageStatus = Extract<
  TwilioMessageStatus,
  'accepted' | 'scheduled' | 'canceled' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'received'
>;
type MessageDirection = 'inbound' | 'outbound-api' | 'outbound-reply';

export interface MessageRecord {
  /** Creation order; list order and page cursors use it. */
  readonly seq: number;
  readonly sid: string;
  readonly direction: MessageDirection;
  readonly to: string;
  from: string | null;
  /** Mutable only to redact it (update with `Body=""`). */
  body: string;
  readonly mediaUrls: readonly string[];
  readonly messagingServiceSid: string | null;
  readonly statusCallback: string | null;
  readonly numSegments: number;
  /** When a `scheduled` message is due (epoch ms, sandbox clock); `null` if not scheduled. */
  readonly sendAt: number | null;
  /** `ValidityPeriod` (seconds it may wait in the queue), `null` when not given; not serialized (the spec has no field). */
  readonly validityPeriod: number | null;
  /** The Content template (`HX…`) the message was rendered from; not serialized (the spec has no field). */
  readonly contentSid: string | null;
  /**
   * True when the message may open a WhatsApp conversation outside the 24-hour window: a
   * template of a type that can start one.
   */
  readonly templateSend: boolean;
  /** A problem found at create time that Twilio reports at delivery (e.g. 63021), or `null`. */
  readonly deferredError: DeliveryOutcome | null;
  /** The message's Media subresources; a delete removes one (num_media keeps the count sent). */
  readonly media: MediaRecord[];
  /**
   * False while a Messaging Service has not chosen the sender (accepted, scheduled): Twilio reports
   * `num_segments` "0" until then (Message resource: "For messages sent via a Messaging Service,
   * num_segments is initially 0, since a sender hasn't yet been assigned").
   */
  segmentsKnown: boolean;
  /** True while the sandbox still has lifecycle steps to run for it (it cannot be deleted yet). */
  inFlight: boolean;
  status: MessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  price: string | null;
  readonly dateCreated: number;
  dateUpdated: number;
  dateSent: number | null;
}

export interface NewMessage {
  direction: MessageDirection;
  to: string;
  from: string | null;
  body: string;
  mediaUrls: readonly string[];
  messagingServiceSid: string | null;
  statusCallback: string | null;
  numSegments: number;
  status: MessageStatus;
  sendAt?: number | null;
  validityPeriod?: number | null;
  contentSid?: string | null;
  templateSend?: boolean;
  deferredError?: DeliveryOutcome | null;
  /** Content types of `mediaUrls` by index where the sender gave them; others are guessed from the URL. */
  mediaContentTypes?: readonly string[];
}

export interface MessageFilter {
  to?: string;
  from?: string;
  /** Inclusive bounds on date_sent (epoch ms); messages not yet sent never match. */
  sentFrom?: number;
  sentUntil?: number;
}

/** Statuses after which nothing more happens to a message. */
const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set<MessageStatus>([
  'delivered',
  'undelivered',
  'failed',
  'received',
  'read',
  'canceled',
]);

/** US price per outbound SMS segment, as Twilio reports it (negative = charged). */
const PRICE_PER_SEGMENT = 0.0079;

/** All messages of the account, in memory. */
export class MessageStore {
  private readonly bySid = new Map<string, MessageRecord>();
  /** Oldest first; lists read it backwards (Twilio lists newest first). */
  private readonly ordered: MessageRecord[] = [];
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    /** Told after every add, status change and delete (the console's live threads). */
    private readonly onChange: (record: MessageRecord) => void = () => undefined,
  ) {}

  add(init: NewMessage): MessageRecord {
    const now = this.clock.now();
    const { mediaContentTypes = [], ...fields } = init;
    const record: MessageRecord = {
      ...fields,
      sendAt: init.sendAt ?? null,
      validityPeriod: init.validityPeriod ?? null,
      contentSid: init.contentSid ?? null,
      templateSend: init.templateSend ?? false,
      deferredError: init.deferredError ?? null,
      media: createMedia(init.mediaUrls, mediaContentTypes, now),
      segmentsKnown: init.messagingServiceSid === null || (init.status !== 'accepted' && init.status !== 'scheduled'),
      inFlight: false,
      seq: ++this.seq,
      sid: newSid('SM'),
      errorCode: null,
      errorMessage: null,
      price: null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: init.status === 'received' ? now : null,
    };
    if (init.status === 'received') record.price = price(record.numSegments);
    this.bySid.set(record.sid, record);
    this.ordered.push(record);
    this.onChange(record);
    return record;
  }

  get(sid: string): MessageRecord | undefined {
    return this.bySid.get(sid);
  }

  /**
   * Moves a message to `status`, stamping dates and price the way Twilio does; `at` (sandbox-clock
   * ms, default now) dates a step that happened earlier, e.g. the send slot of a message the queue
   * released late because the clock was advanced past it.
   */
  transition(record: MessageRecord, status: MessageStatus, error?: { code: number; message: string }, at?: number): void {
    const now = at ?? this.clock.now();
    record.status = status;
    record.dateUpdated = now;
    if (status === 'queued') record.segmentsKnown = true;
    if (status === 'sent' && record.dateSent === null) {
      record.dateSent = now;
      record.price = price(record.numSegments);
    }
    if (error) {
      record.errorCode = error.code;
      record.errorMessage = error.message;
    }
    this.onChange(record);
  }

  /**
   * Deletes a message and its Media. Twilio refuses while it is not complete: 20009 "Cannot
   * delete this resource before it is complete" (https://www.twilio.com/docs/api/errors/20009,
   * "you requested the call or message be deleted before all of Twilio's systems finished
   * processing it"); the sandbox says so while the message is scheduled, accepted, queued,
   * sending or sent, or has status steps still to come. Returns false when it is in flight.
   */
  remove(record: MessageRecord): boolean {
    if (record.inFlight || !FINAL_STATUSES.has(record.status)) return false;
    this.bySid.delete(record.sid);
    const index = this.ordered.indexOf(record);
    if (index >= 0) this.ordered.splice(index, 1);
    this.onChange(record);
    return true;
  }

  /** Matching messages, newest first. */
  list(filter: MessageFilter): MessageRecord[] {
    const out: MessageRecord[] = [];
    for (let i = this.ordered.length - 1; i >= 0; i -= 1) {
      const m = this.ordered[i];
      if (filter.to !== undefined && m.to !== filter.to) continue;
      if (filter.from !== undefined && m.from !== filter.from) continue;
      if (filter.sentFrom !== undefined && (m.dateSent === null || m.dateSent < filter.sentFrom)) continue;
      if (filter.sentUntil !== undefined && (m.dateSent === null || m.dateSent > filter.sentUntil)) continue;
      out.push(m);
    }
    return out;
  }
}

function price(segments: number): string {
  return (-PRICE_PER_SEGMENT * segments).toFixed(5);
}

export function messagesPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Messages`;
}

/** The Message resource exactly as the 2010 API serializes it. */
export function messageResource(accountSid: string, m: MessageRecord): Record<string, unknown> {
  const base = `${messagesPath(accountSid)}/${m.sid}`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: m.dateSent === null ? null : rfc2822(m.dateSent),
    date_updated: rfc2822(m.dateUpdated),
    direction: m.direction,
    error_code: m.errorCode,
    error_message: m.errorMessage,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.mediaUrls.length),
    num_segments: m.segmentsKnown ? String(m.numSegments) : '0',
    price: m.price,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${mediaPath(accountSid, m.sid)}.json`, feedback: `${base}/Feedback.json` },
    to: m.to,
    uri: `${base}.json`,
  };
}
