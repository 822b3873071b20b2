/**
 * What changed in the sandbox, for the console's live view (`GET /_sandbox/events`, Server-Sent
 * Events). Events name a topic, not the data: the console re-reads that topic's control
 * endpoint, so an event never has to carry (or leak) a resource.
 */
export type EventTopic =
  | 'messages'
  | 'calls'
  | 'callbacks'
  | 'sync'
  | 'verify'
  | 'optouts'
  | 'clock'
  | 'usage'
  | 'faults'
  | 'numbers'
  /** Conversations, their participants and messages (API writes, SDK sends, delivery receipts, state timers). */
  | 'conversations'
  /** The local Functions were rebuilt and reloaded (`npm run dev`); the event carries a notice. */
  | 'functions';

export const EVENT_TOPICS: readonly EventTopic[] = [
  'messages',
  'calls',
  'callbacks',
  'sync',
  'verify',
  'optouts',
  'clock',
  'usage',
  'faults',
  'numbers',
  'conversations',
  'functions',
];

export interface SandboxEvent {
  topic: EventTopic;
  /** A line for people (e.g. "Functions reloaded in 120 ms"), shown by the console. */
  notice?: { text: string; ok: boolean };
}

export type EventListener = (event: SandboxEvent) => void;

/** A tiny publish / subscribe hub; a listener that throws does not stop the others. */
export class SandboxEvents {
  private readonly listeners = new Set<EventListener>();

  emit(topic: EventTopic, notice?: SandboxEvent['notice']): void {
    if (this.listeners.size === 0) return;
    const event: SandboxEvent = notice ? { topic, notice } : { topic };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A console that went away must not break the sandbox.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
