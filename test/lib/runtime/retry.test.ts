import { Deadline } from '../../../src/lib/runtime/deadline';
import { backoffDelay, retryWithin } from '../../../src/lib/runtime/retry';

/** A fake clock: sleeping advances it, so no test waits for real time. */
function fakeTime() {
  let now = 0;
  const sleep = (ms: number) => {
    now += ms;
    return Promise.resolve();
  };
  return { now: () => now, sleep };
}

/** A retryable failure (as a 429 would be): an Error, so it carries a stack like any real one. */
class BusyError extends Error {
  constructor() {
    super('busy');
    this.name = 'BusyError';
  }
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    expect(backoffDelay(0, 50, 1000, () => 0.999)).toBe(49);
    expect(backoffDelay(3, 50, 1000, () => 0.999)).toBe(399);
    expect(backoffDelay(10, 50, 1000, () => 0.999)).toBe(999);
    expect(backoffDelay(3, 50, 1000, () => 0)).toBe(0);
  });
});

describe('retryWithin', () => {
  const retryable = (error: unknown) => error instanceof BusyError;

  it('retries retryable failures until success', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await retryWithin(
      () => {
        calls += 1;
        return calls < 4 ? Promise.reject(new BusyError()) : Promise.resolve('ok');
      },
      { deadline: Deadline.in(9000, time.now), retryable, sleep: time.sleep, random: () => 0.5 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
  });

  it('does not retry other failures', async () => {
    let calls = 0;
    const failing = retryWithin(
      () => {
        calls += 1;
        return Promise.reject(new Error('bad request'));
      },
      { deadline: Deadline.in(9000), retryable },
    );
    await expect(failing).rejects.toThrow('bad request');
    expect(calls).toBe(1);
  });

  it('gives up with the last error before the deadline, keeping the reserve', async () => {
    const time = fakeTime();
    const failing = retryWithin(() => Promise.reject(new BusyError()), {
      deadline: Deadline.in(9000, time.now),
      retryable,
      sleep: time.sleep,
      random: () => 1,
      reserveMs: 500,
    });
    await expect(failing).rejects.toBeInstanceOf(BusyError);
    expect(time.now()).toBeLessThanOrEqual(8500);
    expect(time.now()).toBeGreaterThan(7000);
  });
});
