/**
 * Polls `read` until `done` holds (or throws after `timeoutMs`); for effects of async callbacks.
 * The pause grows from 10 ms to 200 ms: quick effects are seen at once, and a long wait does not
 * spend the CPU other suites need on a request every 25 ms.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (let pauseMs = 10; ; pauseMs = Math.min(200, pauseMs * 1.5)) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight; results in input order. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}
