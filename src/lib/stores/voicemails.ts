import type { SyncMapStore } from './sync-map-store';

export interface Voicemail {
  recordingSid: string;
  callSid: string;
  /** The caller, as Twilio gives it. */
  from: string;
  receivedAt: string;
  durationSeconds: number;
  recordingUrl: string;
  transcription: { status: 'pending' | 'completed' | 'failed'; text?: string };
}

const MAX_LISTED = 1000;

/** Voicemails, one item per recording (one map: a few a minute at most), kept 30 days. */
export class VoicemailStore {
  constructor(private readonly map: SyncMapStore<Voicemail>) {}

  /**
   * Keeps a voicemail once; Twilio repeating the Record action does not duplicate it. When the
   * transcription callback came first (it carries no duration), the Record action's duration and
   * recording link complete that voicemail and its transcription is kept.
   */
  async keep(voicemail: Voicemail): Promise<void> {
    // The usual order (the Record action first) is one write.
    if (await this.map.createIfAbsent(voicemail.recordingSid, voicemail)) return;
    await this.map.update(voicemail.recordingSid, (current) => {
      if (!current) return voicemail;
      if (current.durationSeconds > 0) return undefined;
      return { ...current, durationSeconds: voicemail.durationSeconds, recordingUrl: voicemail.recordingUrl };
    });
  }

  /**
   * Adds the transcription (or its failure) to a kept voicemail. `fromCallback`, the voicemail as
   * the transcription callback describes it, is kept when the Record action has not come yet, and
   * gives its duration to a voicemail kept without one. Returns undefined when there is no
   * voicemail and none is given.
   */
  transcribed(recordingSid: string, transcription: Voicemail['transcription'], fromCallback?: Voicemail): Promise<Voicemail | undefined> {
    return this.map.update(recordingSid, (current) => {
      if (!current) return fromCallback && { ...fromCallback, transcription };
      const durationSeconds = current.durationSeconds || (fromCallback?.durationSeconds ?? 0);
      return { ...current, durationSeconds, transcription };
    });
  }

  async get(recordingSid: string): Promise<Voicemail | undefined> {
    return (await this.map.get(recordingSid))?.data;
  }

  /** The most recent voicemails, newest first. */
  async recent(limit: number): Promise<Voicemail[]> {
    const all = await this.map.list(MAX_LISTED);
    return all.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).slice(0, limit);
  }
}
