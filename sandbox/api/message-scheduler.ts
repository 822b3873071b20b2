import type { Clock } from '../clock';
import { MinHeap } from '../min-heap';
import type { MessageRecord } from './messages';

/** setTimeout's ceiling (about 24.8 days); later instants are reached by re-arming. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Holds `scheduled` messages until the sandbox clock reaches their SendAt, then hands each to
 * `release`. Due messages are released when the clock is advanced (POST /_sandbox/clock,
 * `sandbox.clock.advance`) and, for long-running sandboxes, when real time gets there. A min-heap
 * by SendAt keeps add and release O(log n); canceled messages are dropped when they surface.
 */
export class MessageScheduler {
  private readonly due = new MinHeap<MessageRecord>(
    (a, b) => (a.sendAt ?? 0) < (b.sendAt ?? 0) || (a.sendAt === b.sendAt && a.seq < b.seq),
  );
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly release: (message: MessageRecord) => void,
  ) {
    clock.onAdvance(() => this.releaseDue());
  }

  add(message: MessageRecord): void {
    if (message.sendAt === null || message.status !== 'scheduled') return;
    this.due.push(message);
    this.arm();
  }

  /** Releases, in SendAt order, every scheduled message whose SendAt has come. */
  releaseDue(): void {
    const now = this.clock.now();
    for (let next = this.due.peek(); next; next = this.due.peek()) {
      if (next.status === 'scheduled' && (next.sendAt ?? 0) > now) break;
      this.due.pop();
      if (next.status === 'scheduled') this.release(next);
    }
    this.arm();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.due.peek();
    if (this.closed || !next) return;
    const wait = Math.min(Math.max((next.sendAt ?? 0) - this.clock.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.releaseDue(), wait);
    this.timer.unref();
  }
}
