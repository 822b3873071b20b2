import type { Clock } from '../clock';
import { rfc2822 } from '../dates';
import type { DeliveryOutcome } from '../magic-numbers';
import { newSid } from '../sids';

/** Every value of Twilio's message_enum_status (what a status callback may carry). */
export const TWILIO_MESSAGE_STATUSES = [
  'queued', 'sending', 'sent', 'failed', 'delivered', 'undelivered', 'receiving', 'received',
  'accepted', 'scheduled', 'read', 'partially_delivered', 'canceled',
] as const;
export type TwilioMessageStatus = (typeof TWILIO_MESSAGE_STATUSES)[number];

/** Message status values the sandbox produces itself. */
export type MessageStatus = Extract<
  TwilioMessageStatus,
  'accepted' | 'scheduled' | 'canceled' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'received'
>;
export type MessageDirection = 'inbound' | 'outbound-api' | 'outbound-reply';

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
  /** The Content template (`HX…`) the message was rendered from; not serialized (the spec has no field). */
  readonly contentSid: string | null;
  /**
   * True when the message may open a WhatsApp conversation outside the 24-hour window: a
   * template of a type that can start one, or a Verify code (Verify sends approved templates).
   */
  readonly templateSend: boolean;
  /** A problem found at create time that Twilio reports at delivery (e.g. 63021), or `null`. */
  readonly deferredError: DeliveryOutcome | null;
  /** True for Verify's codes, which Twilio sends from its own senders: the account's opt-outs do not apply. */
  readonly optOutExempt: boolean;
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
  contentSid?: string | null;
  templateSend?: boolean;
  deferredError?: DeliveryOutcome | null;
  optOutExempt?: boolean;
}

export interface MessageFilter {
  to?: string;
  from?: string;
  /** Inclusive bounds on date_sent (epoch ms); messages not yet sent never match. */
  sentFrom?: number;
  sentUntil?: number;
}

/** US price per outbound SMS segment, as Twilio reports it (negative = charged). */
const PRICE_PER_SEGMENT = 0.0079;

/** All messages of the account, in memory. */
export class MessageStore {
  private readonly bySid = new Map<string, MessageRecord>();
  /** Oldest first; lists read it backwards (Twilio lists newest first). */
  private readonly ordered: MessageRecord[] = [];
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  add(init: NewMessage): MessageRecord {
    const now = this.clock.now();
    const record: MessageRecord = {
      ...init,
      sendAt: init.sendAt ?? null,
      contentSid: init.contentSid ?? null,
      templateSend: init.templateSend ?? false,
      deferredError: init.deferredError ?? null,
      optOutExempt: init.optOutExempt ?? false,
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
    return record;
  }

  get(sid: string): MessageRecord | undefined {
    return this.bySid.get(sid);
  }

  /** Moves a message to `status`, stamping dates and price the way Twilio does. */
  transition(record: MessageRecord, status: MessageStatus, error?: { code: number; message: string }): void {
    const now = this.clock.now();
    record.status = status;
    record.dateUpdated = now;
    if (status === 'sent' && record.dateSent === null) {
      record.dateSent = now;
      record.price = price(record.numSegments);
    }
    if (error) {
      record.errorCode = error.code;
      record.errorMessage = error.message;
    }
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
    num_segments: String(m.numSegments),
    price: m.price,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    to: m.to,
    uri: `${base}.json`,
  };
}
