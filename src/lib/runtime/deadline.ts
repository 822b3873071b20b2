/** A point in time that work must finish by; passed to anything that retries or fans out. */
export class Deadline {
  private constructor(
    private readonly at: number,
    private readonly now: () => number,
  ) {}

  static in(ms: number, now: () => number = Date.now): Deadline {
    return new Deadline(now() + ms, now);
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.now());
  }

  /** True when fewer than `reserveMs` remain. */
  expired(reserveMs = 0): boolean {
    return this.remainingMs() <= reserveMs;
  }
}
