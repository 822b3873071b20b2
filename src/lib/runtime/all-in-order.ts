type Settled<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/**
 * `Promise.all` for independent steps run side by side, with two differences that matter in a
 * Function: it waits for every step to settle before it answers (a step still running when the
 * Function answers may be frozen half-way), and a failure is the first failing step in the order
 * given, not the first to fail in time, so which error a caller sees does not depend on latency.
 */
export async function allInOrder<T extends readonly unknown[] | []>(steps: T): Promise<Settled<T>> {
  const results = await Promise.allSettled(steps as readonly unknown[]);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as Settled<T>;
}
