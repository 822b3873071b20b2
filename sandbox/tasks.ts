/**
 * Accounts for background work (lifecycle steps, webhook deliveries) so callers can wait for
 * the sandbox to go quiet, and so `close()` can cancel what is still pending.
 */
class SandboxClosedError extends Error {
  constructor() {
    super('sandbox closed');
    this.name = 'SandboxClosedError';
  }
}

export class TaskTracker {
  private inFlight = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly timers = new Map<NodeJS.Timeout, (error: Error) => void>();

  get pending(): number {
    return this.inFlight;
  }

  /** Counts `work` as in flight until it settles; failures are passed to `onError`, never thrown. */
  run(work: () => Promise<void>, onError: (error: unknown) => void): void {
    void this.track(work()).catch((error: unknown) => {
      if (!(error instanceof SandboxClosedError)) onError(error);
    });
  }

  /** Counts an already-started piece of work as in flight until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight += 1;
    return work.finally(() => {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.wakeIdleWaiters();
    });
  }

  /** A cancellable delay; rejects with SandboxClosedError when the sandbox closes first. */
  sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new SandboxClosedError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, reject);
    });
  }

  /** Resolves once nothing is in flight; rejects after `timeoutMs`. */
  settled(timeoutMs = 10_000): Promise<void> {
    if (this.inFlight === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== waiter);
        reject(new Error(`sandbox not settled after ${timeoutMs} ms: ${this.inFlight} task(s) still in flight`));
      }, timeoutMs);
      this.idleWaiters.push(waiter);
    });
  }

  close(): void {
    this.closed = true;
    for (const [timer, reject] of this.timers) {
      clearTimeout(timer);
      reject(new SandboxClosedError());
    }
    this.timers.clear();
    this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
