import type { Clock } from '../clock';
import { rfc2822 } from '../dates';
import { newSid } from '../sids';
import type { CallTranscript } from './transcript';

/** Every value of Twilio's call_enum_status. */
export type CallStatus = 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';
type CallDirection = 'inbound' | 'outbound-api';

const FINAL: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export function isFinal(status: CallStatus): boolean {
  return FINAL.has(status);
}

export interface CallRecord {
  readonly seq: number;
  readonly sid: string;
  readonly direction: CallDirection;
  readonly to: string;
  readonly from: string;
  /** The account's number on the call (To when inbound, From when outbound), if it is one. */
  readonly phoneNumberSid: string | null;
  status: CallStatus;
  answeredBy: string | null;
  readonly dateCreated: number;
  dateUpdated: number;
  startTime: number | null;
  endTime: number | null;
  /** Simulated seconds the call has lasted (Pause, Gather timeouts, Dial, Record). */
  seconds: number;
  /** What the walk did; `GET /_sandbox/calls/{CA}`. */
  readonly transcript: CallTranscript;
  /** A pending redirect from a Calls update (Url / Twiml) the walk picks up before its next verb. */
  redirect: { url: string; method: 'GET' | 'POST' } | { twiml: string } | null;
  /** Set by a Calls update with Status=completed / canceled: the walk stops before its next verb. */
  hangupRequested: boolean;
  /** Where status callbacks go and which events were asked for (Twilio sends only those). */
  statusCallback: StatusCallbackConfig | null;
  /** SequenceNumber of the next status callback. */
  nextSequence: number;
}

export type CallEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface StatusCallbackConfig {
  url: string;
  method: 'GET' | 'POST';
  events: ReadonlySet<CallEvent>;
}

export interface NewCall {
  direction: CallDirection;
  to: string;
  from: string;
  phoneNumberSid: string | null;
  status: CallStatus;
  statusCallback?: StatusCallbackConfig | null;
}

export interface CallFilter {
  to?: string;
  from?: string;
  status?: string;
}

/** All calls of the account, in memory. */
export class CallStore {
  private readonly bySid = new Map<string, CallRecord>();
  private readonly ordered: CallRecord[] = [];
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    /** Told after every new call and status change (the console's live calls). */
    private readonly onChange: (call: CallRecord) => void = () => undefined,
  ) {}

  add(init: NewCall): CallRecord {
    const now = this.clock.now();
    const sid = newSid('CA');
    const record: CallRecord = {
      ...init,
      seq: ++this.seq,
      sid,
      answeredBy: null,
      dateCreated: now,
      dateUpdated: now,
      startTime: null,
      endTime: null,
      seconds: 0,
      transcript: { callSid: sid, steps: [], endedBy: null, recordings: [], messages: [], recordingEvents: [], warnings: [] },
      redirect: null,
      hangupRequested: false,
      statusCallback: init.statusCallback ?? null,
      nextSequence: 0,
    };
    this.bySid.set(sid, record);
    this.ordered.push(record);
    this.onChange(record);
    return record;
  }

  get(sid: string): CallRecord | undefined {
    return this.bySid.get(sid);
  }

  /** Moves a call to `status`, stamping start / end times like Twilio. */
  transition(call: CallRecord, status: CallStatus): void {
    const now = this.clock.now();
    call.status = status;
    call.dateUpdated = now;
    if (status === 'in-progress' && call.startTime === null) call.startTime = now;
    if (isFinal(status) && call.endTime === null) {
      call.endTime = call.startTime === null ? now : call.startTime + call.seconds * 1000;
    }
    this.onChange(call);
  }

  /** The call's transcript or prompt changed (a step ran): tells the console. */
  touched(call: CallRecord): void {
    this.onChange(call);
  }

  /**
   * Deletes a finished call's record ("Delete a Call record from your account. Once the record is
   * deleted, it will no longer appear in the API and Account Portal logs", spec DeleteCall → 204).
   * A call not yet finished is refused, as Twilio refuses an incomplete resource: 20009
   * (https://www.twilio.com/docs/api/errors/20009). Returns false then.
   */
  remove(call: CallRecord): boolean {
    if (!isFinal(call.status)) return false;
    this.bySid.delete(call.sid);
    const index = this.ordered.indexOf(call);
    if (index >= 0) this.ordered.splice(index, 1);
    this.onChange(call);
    return true;
  }

  /** Matching calls, newest first (Twilio lists calls by start time, newest first). */
  list(filter: CallFilter): CallRecord[] {
    const out: CallRecord[] = [];
    for (let i = this.ordered.length - 1; i >= 0; i -= 1) {
      const c = this.ordered[i];
      if (filter.to !== undefined && c.to !== filter.to) continue;
      if (filter.from !== undefined && c.from !== filter.from) continue;
      if (filter.status !== undefined && c.status !== filter.status) continue;
      out.push(c);
    }
    return out;
  }
}

export function callsPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Calls`;
}

/** `(415) 555-0142` for NANP numbers, the address itself otherwise (Twilio's *_formatted). */
function formatted(address: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(address);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : address;
}

/** The Call resource exactly as the 2010 API serializes it. */
export function callResource(accountSid: string, c: CallRecord): Record<string, unknown> {
  const base = `${callsPath(accountSid)}/${c.sid}`;
  const ended = isFinal(c.status);
  return {
    account_sid: accountSid,
    answered_by: c.answeredBy,
    api_version: '2010-04-01',
    caller_name: null,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateUpdated),
    direction: c.direction,
    duration: ended ? String(c.startTime === null ? 0 : c.seconds) : null,
    end_time: c.endTime === null ? null : rfc2822(c.endTime),
    forwarded_from: null,
    from: c.from,
    from_formatted: formatted(c.from),
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: c.phoneNumberSid,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid: c.sid,
    start_time: c.startTime === null ? null : rfc2822(c.startTime),
    status: c.status,
    subresource_uris: {
      events: `${base}/Events.json`,
      notifications: `${base}/Notifications.json`,
      payments: `${base}/Payments.json`,
      recordings: `${base}/Recordings.json`,
      siprec: `${base}/Siprec.json`,
      streams: `${base}/Streams.json`,
      transcriptions: `${base}/Transcriptions.json`,
      user_defined_message_subscriptions: `${base}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${base}/UserDefinedMessages.json`,
    },
    to: c.to,
    to_formatted: formatted(c.to),
    trunk_sid: null,
    uri: `${base}.json`,
  };
}
