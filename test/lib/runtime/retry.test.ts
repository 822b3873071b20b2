import { Deadline } from '../../../src/lib/runtime/deadline';
import { backoffDelay, retryWithin } from '../../../src/lib/runtime/retry';

/** A fake clock: sleeping advances it, so no test waits for real time. */
function fakeTime() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
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
  const retryable = (error: unknown) => error === 'busy';

  it('retries retryable failures until success', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await retryWithin(
      async () => {
        calls += 1;
        if (calls < 4) throw 'busy';
        return 'ok';
      },
      { deadline: Deadline.in(9000, time.now), retryable, sleep: time.sleep, random: () => 0.5 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
  });

  it('does not retry other failures', async () => {
    let calls = 0;
    const failing = retryWithin(
      async () => {
        calls += 1;
        throw new Error('bad request');
      },
      { deadline: Deadline.in(9000), retryable },
    );
    await expect(failing).rejects.toThrow('bad request');
    expect(calls).toBe(1);
  });

  it('gives up with the last error before the deadline, keeping the reserve', async () => {
    const time = fakeTime();
    const failing = retryWithin(
      async () => {
        throw 'busy';
      },
      { deadline: Deadline.in(9000, time.now), retryable, sleep: time.sleep, random: () => 1, reserveMs: 500 },
    );
    await expect(failing).rejects.toBe('busy');
    expect(time.now()).toBeLessThanOrEqual(8500);
    expect(time.now()).toBeGreaterThan(7000);
  });
});
