import type { Clock } from '../clock';
import { rfc2822 } from '../dates';
import { newSid } from '../sids';

/** Every value of Twilio's call_recording_enum_status. */
export type RecordingStatus = 'in-progress' | 'paused' | 'stopped' | 'processing' | 'completed' | 'absent';
type RecordingSource = 'RecordVerb' | 'StartCallRecordingAPI';

export interface RecordingRecord {
  readonly seq: number;
  readonly sid: string;
  readonly callSid: string;
  readonly source: RecordingSource;
  readonly channels: number;
  readonly track: string;
  readonly statusCallback: string | null;
  status: RecordingStatus;
  readonly dateCreated: number;
  dateUpdated: number;
  /** Seconds recorded so far (call-time), and the call-time second the current stretch began. */
  recordedSeconds: number;
  activeSince: number | null;
}

export interface TranscriptionRecord {
  /** Creation order; list order and page cursors use it (a cursor survives the deletion of its item). */
  readonly seq: number;
  readonly sid: string;
  readonly recordingSid: string;
  readonly status: 'completed' | 'failed';
  readonly text: string | null;
  readonly durationSeconds: number;
  readonly dateCreated: number;
}

export interface NewRecording {
  callSid: string;
  source: RecordingSource;
  channels?: number;
  track?: string;
  statusCallback?: string | null;
  status: RecordingStatus;
  recordedSeconds?: number;
  /** Call-time second recording starts, for recordings that start `in-progress`. */
  startAt?: number;
}

/** Recordings and their transcriptions, in memory. */
export class RecordingStore {
  private readonly bySid = new Map<string, RecordingRecord>();
  private readonly ordered: RecordingRecord[] = [];
  private readonly transcriptions = new Map<string, TranscriptionRecord>();
  private seq = 0;
  private transcriptionSeq = 0;

  constructor(private readonly clock: Clock) {}

  add(init: NewRecording): RecordingRecord {
    const now = this.clock.now();
    const record: RecordingRecord = {
      seq: ++this.seq,
      sid: newSid('RE'),
      callSid: init.callSid,
      source: init.source,
      channels: init.channels ?? 1,
      track: init.track ?? 'both',
      statusCallback: init.statusCallback ?? null,
      status: init.status,
      dateCreated: now,
      dateUpdated: now,
      recordedSeconds: init.recordedSeconds ?? 0,
      activeSince: init.status === 'in-progress' ? (init.startAt ?? 0) : null,
    };
    this.bySid.set(record.sid, record);
    this.ordered.push(record);
    return record;
  }

  get(sid: string): RecordingRecord | undefined {
    return this.bySid.get(sid);
  }

  /** Newest first, optionally only those of one call. */
  list(callSid?: string): RecordingRecord[] {
    return this.ordered.filter((r) => callSid === undefined || r.callSid === callSid).reverse();
  }

  /** The call's recording that `Twilio.CURRENT` names: the newest one still in progress or paused. */
  current(callSid: string): RecordingRecord | undefined {
    return this.list(callSid).find((r) => r.status === 'in-progress' || r.status === 'paused');
  }

  /** Moves a recording to `status` at call-time second `at`, accumulating the recorded seconds. */
  transition(recording: RecordingRecord, status: RecordingStatus, at: number): void {
    if (recording.activeSince !== null && status !== 'in-progress') {
      recording.recordedSeconds += Math.max(0, at - recording.activeSince);
      recording.activeSince = null;
    }
    if (status === 'in-progress' && recording.activeSince === null) recording.activeSince = at;
    recording.status = status;
    recording.dateUpdated = this.clock.now();
  }

  addTranscription(recording: RecordingRecord, text: string | null): TranscriptionRecord {
    const transcription: TranscriptionRecord = {
      seq: ++this.transcriptionSeq,
      sid: newSid('TR'),
      recordingSid: recording.sid,
      status: text === null ? 'failed' : 'completed',
      text,
      durationSeconds: recording.recordedSeconds,
      dateCreated: this.clock.now(),
    };
    this.transcriptions.set(transcription.sid, transcription);
    return transcription;
  }

  transcription(sid: string): TranscriptionRecord | undefined {
    return this.transcriptions.get(sid);
  }

  /** Newest first, optionally only those of one recording. */
  allTranscriptions(recordingSid?: string): TranscriptionRecord[] {
    return [...this.transcriptions.values()].filter((t) => recordingSid === undefined || t.recordingSid === recordingSid).reverse();
  }

  /**
   * Deletes a recording ("Delete a recording from your account", spec DeleteRecording → 204). One
   * still being made (in progress, paused, processing) is refused like any incomplete resource,
   * 20009 (https://www.twilio.com/docs/api/errors/20009): returns false then. Its transcriptions
   * are resources of their own and stay until deleted (DeleteTranscription).
   */
  remove(recording: RecordingRecord): boolean {
    if (recording.status !== 'completed' && recording.status !== 'stopped' && recording.status !== 'absent') return false;
    this.bySid.delete(recording.sid);
    const index = this.ordered.indexOf(recording);
    if (index >= 0) this.ordered.splice(index, 1);
    return true;
  }

  /** Deletes a transcription ("Delete a transcription from the account", spec DeleteTranscription → 204). */
  removeTranscription(sid: string): boolean {
    return this.transcriptions.delete(sid);
  }
}

export function recordingsPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Recordings`;
}

export function transcriptionsPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Transcriptions`;
}

/** The RecordingUrl Twilio posts (the media, without extension). */
export function recordingMediaUrl(accountSid: string, sid: string): string {
  return `https://api.twilio.com${recordingsPath(accountSid)}/${sid}`;
}

/** Twilio reports the duration as -1 until a recording is completed. */
function durationOf(r: RecordingRecord): string {
  return r.status === 'completed' ? String(r.recordedSeconds) : '-1';
}

/** The account-level Recording resource (api.v2010.account.recording). */
export function recordingResource(accountSid: string, r: RecordingRecord): Record<string, unknown> {
  const base = `${recordingsPath(accountSid)}/${r.sid}`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    call_sid: r.callSid,
    channels: r.channels,
    conference_sid: null,
    date_created: rfc2822(r.dateCreated),
    date_updated: rfc2822(r.dateUpdated),
    duration: durationOf(r),
    encryption_details: null,
    error_code: null,
    media_url: recordingMediaUrl(accountSid, r.sid),
    price: null,
    price_unit: 'USD',
    sid: r.sid,
    source: r.source,
    start_time: rfc2822(r.dateCreated),
    status: r.status,
    subresource_uris: {
      add_on_results: `${base}/AddOnResults.json`,
      transcriptions: `${base}/Transcriptions.json`,
    },
    uri: `${base}.json`,
  };
}

/** The call's Recording resource (api.v2010.account.call.call_recording). */
export function callRecordingResource(accountSid: string, r: RecordingRecord): Record<string, unknown> {
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    call_sid: r.callSid,
    channels: r.channels,
    conference_sid: null,
    date_created: rfc2822(r.dateCreated),
    date_updated: rfc2822(r.dateUpdated),
    duration: durationOf(r),
    encryption_details: null,
    error_code: null,
    price: null,
    price_unit: 'USD',
    sid: r.sid,
    source: r.source,
    start_time: rfc2822(r.dateCreated),
    status: r.status,
    track: r.track,
    uri: `/2010-04-01/Accounts/${accountSid}/Calls/${r.callSid}/Recordings/${r.sid}.json`,
  };
}

/** The Transcription resource (api.v2010.account.transcription). */
export function transcriptionResource(accountSid: string, t: TranscriptionRecord): Record<string, unknown> {
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    date_created: rfc2822(t.dateCreated),
    date_updated: rfc2822(t.dateCreated),
    duration: String(t.durationSeconds),
    price: null,
    price_unit: 'USD',
    recording_sid: t.recordingSid,
    sid: t.sid,
    status: t.status,
    transcription_text: t.text,
    type: 'fast',
    uri: `${transcriptionsPath(accountSid)}/${t.sid}.json`,
  };
}
