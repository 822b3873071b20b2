/**
 * Ctrl-C as a flag the loops read between requests: a request in flight is let finish (its
 * answer is the service's word on what was sent), waits end at once, and nothing else is cut.
 */
export class StopSignal {
  private stopped = false;
  private readonly wakers = new Set<() => void>();

  get requested(): boolean {
    return this.stopped;
  }

  request(): void {
    this.stopped = true;
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }

  /** Waits `ms`, or less when a stop is requested meanwhile. */
  sleep(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}

/**
 * SIGINT and SIGTERM request a stop; a second one calls `now` (quit at once: safe, because the
 * service, not this process, knows what was sent). Returns a function that removes the handlers.
 */
export function stopOnSignals(stop: StopSignal, { first, now }: { first: () => void; now: () => void }): () => void {
  const onSignal = (): void => {
    if (stop.requested) return now();
    stop.request();
    first();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
