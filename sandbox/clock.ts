import type { SandboxClock } from './options';

/**
 * Wall-clock time plus an offset that only grows. Everything time-dependent in the sandbox
 * (resource dates, TTL expiry, rate-limit refill, scheduled sends) reads this clock, so tests can jump ahead.
 */
export class Clock implements SandboxClock {
  private offsetMs = 0;
  /** Wall time when the clock was frozen, `null` while it runs. */
  private frozenAt: number | null = null;
  private readonly listeners: Array<() => void> = [];

  now(): number {
    return (this.frozenAt ?? Date.now()) + this.offsetMs;
  }

  /** Frozen, only `advance` moves the clock (rate windows counted without racing real time); thawed, it runs on from where it was. */
  freeze(frozen: boolean): void {
    if (frozen && this.frozenAt === null) this.frozenAt = Date.now();
    if (!frozen && this.frozenAt !== null) {
      this.offsetMs += this.frozenAt - Date.now();
      this.frozenAt = null;
    }
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock can only move forward (got ${ms})`);
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every advance (e.g. to release scheduled messages that fell due). */
  onAdvance(listener: () => void): void {
    this.listeners.push(listener);
  }
}
