import type { SyncMapStore } from './sync-map-store';

/** The Usage Trigger that paused sending, as its callback described it (no amounts: /health is public). */
export interface PausingTrigger {
  /** UsageTriggerSid (UT…). */
  sid: string;
  usageCategory: string;
  triggerBy: string;
  recurring: string;
  /** The callback's values, kept for the logs and the resume answer. */
  triggerValue: string;
  currentValue: string;
  dateFired: string;
}

/** Non-essential sends are paused since `since` (ISO), by `trigger`. */
export interface SendingPause {
  since: string;
  trigger: PausingTrigger;
}

/** The one item that holds the pause: present means paused. */
const PAUSE_KEY = 'pause';

/**
 * The kill switch's state in Sync: one item, present while non-essential sends are paused. The
 * first trigger's pause is kept (a second trigger firing meanwhile changes nothing: "since when"
 * stays true); resuming removes the item.
 */
export class SendingPauseStore {
  /** The read of this request: stores are made per request, so a campaign run reads Sync once, not once per recipient. */
  private read?: Promise<SendingPause | undefined>;

  constructor(private readonly map: SyncMapStore<SendingPause>) {}

  /** The pause in force, read once per request (a failed read is not kept). */
  inForce(): Promise<SendingPause | undefined> {
    this.read ??= this.map.get(PAUSE_KEY).then(
      (item) => item?.data,
      (error: unknown) => {
        this.read = undefined;
        throw error;
      },
    );
    return this.read;
  }

  /** Pauses unless already paused; returns the pause in force. */
  async pause(pause: SendingPause): Promise<SendingPause> {
    const inForce = (await this.map.update(PAUSE_KEY, (current) => (current ? undefined : pause))) ?? pause;
    this.read = Promise.resolve(inForce);
    return inForce;
  }

  /** Resumes; returns the pause that was lifted, if any. */
  async resume(): Promise<SendingPause | undefined> {
    const lifted = (await this.map.get(PAUSE_KEY))?.data;
    await this.map.remove(PAUSE_KEY);
    this.read = Promise.resolve(undefined);
    return lifted;
  }
}
