/**
 * Faults at a rate (`POST /_sandbox/faults` with `rate` and `seed`): 5 % of Messages creates answer
 * 429 / 20429 and 1 % answer 500 / 20500, the same requests every run for a given seed.
 */
import { seededRandom } from '../../sandbox/control/faults';
import type { Fault } from '../../sandbox';
import { control, CUSTOMER, OWNED_NUMBER, startTestSandbox, type TestSandbox } from './helpers';
import { match } from '../support/match';

const MESSAGES_CREATE = '/Messages\\.json$';

async function inBatches<T>(total: number, concurrency: number, op: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < total; i += concurrency) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, total - i) }, (_, j) => op(i + j)))));
  }
  return out;
}

/** What each create answered: 201, or the RestException's status/code. */
async function sendAll(env: TestSandbox, total: number, concurrency: number): Promise<string[]> {
  return inBatches(total, concurrency, async (i) => {
    try {
      await env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: `n ${i}` });
      return '201';
    } catch (error) {
      const { status, code } = error as { status: number; code: number };
      return `${status}/${code}`;
    }
  });
}

function tally(outcomes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

/** The outcome of each of `total` requests, from the two faults' seeded draws (both draw on every request). */
function expectedOutcomes(total: number, seed429: number, seed500: number): string[] {
  const a = seededRandom(seed429);
  const b = seededRandom(seed500);
  return Array.from({ length: total }, () => {
    const hit429 = a() < 0.05;
    const hit500 = b() < 0.01;
    return hit429 ? '429/20429' : hit500 ? '500/20500' : '201';
  });
}

describe('fault injection at a rate', () => {
  let env: TestSandbox;

  beforeEach(async () => {
    env = await startTestSandbox();
  });

  afterEach(async () => {
    await env.sandbox.close();
  });

  async function addRateFaults(seed429: number, seed500: number): Promise<void> {
    const tooMany = await control<Fault>(env.sandbox, 'POST', '/faults', {
      method: 'POST',
      pathPattern: MESSAGES_CREATE,
      status: 429,
      code: 20429,
      rate: 0.05,
      seed: seed429,
    });
    expect(tooMany.status).toBe(201);
    expect(tooMany.body).toMatchObject({ rate: 0.05, seed: seed429, remaining: null, message: 'Too Many Requests', matched: 0, fired: 0 });
    await control(env.sandbox, 'POST', '/faults', {
      method: 'POST',
      pathPattern: MESSAGES_CREATE,
      status: 500,
      code: 20500,
      rate: 0.01,
      seed: seed500,
    });
  }

  it('hits the same requests, in order, as the seeds say', async () => {
    await addRateFaults(42, 7);
    const outcomes = await sendAll(env, 600, 1);
    expect(outcomes).toEqual(expectedOutcomes(600, 42, 7));
  }, 60_000);

  it('gives deterministic counts under concurrency: about 5 % 429/20429 and 1 % 500/20500, as GET /faults reports', async () => {
    await addRateFaults(2026, 12);
    const counts = tally(await sendAll(env, 2000, 25));
    const expected = tally(expectedOutcomes(2000, 2026, 12));
    expect(counts).toEqual(expected);
    expect(counts['429/20429']).toBeGreaterThan(2000 * 0.035);
    expect(counts['429/20429']).toBeLessThan(2000 * 0.065);
    expect(counts['500/20500']).toBeGreaterThan(2000 * 0.003);
    expect(counts['500/20500']).toBeLessThan(2000 * 0.02);
    const faults = (await control<Fault[]>(env.sandbox, 'GET', '/faults')).body;
    expect(faults.map((f) => [f.matched, f.fired])).toEqual([
      [2000, counts['429/20429']],
      [2000, counts['500/20500']],
    ]);
    // Only creates: listing and fetching are untouched.
    await expect(env.client.messages.list({ limit: 5 })).resolves.toHaveLength(5);
    // The answers are Twilio's error bodies; the messages that got 201 exist, the others do not.
    expect((await control<{ messages: number }>(env.sandbox, 'GET', '/usage')).body.messages).toBe(counts['201']);
  }, 60_000);

  it('caps a rate fault with times, draws a seed when none is given, and validates its input', async () => {
    const capped = await control<Fault>(env.sandbox, 'POST', '/faults', {
      method: 'POST',
      pathPattern: MESSAGES_CREATE,
      status: 503,
      code: 20503,
      rate: 1,
      times: 3,
    });
    expect(capped.body.seed).toEqual(match.any(Number));
    expect(capped.body.remaining).toBe(3);
    expect(tally(await sendAll(env, 5, 1))).toEqual({ '503/20503': 3, '201': 2 });
    expect((await control<Fault[]>(env.sandbox, 'GET', '/faults')).body).toEqual([]);

    const bad = [
      { pathPattern: 'x', status: 429, rate: 0 },
      { pathPattern: 'x', status: 429, rate: 1.5 },
      { pathPattern: 'x', status: 429, seed: 1 },
      { pathPattern: 'x', status: 429, rate: 0.5, seed: -1 },
      { pathPattern: 'x', status: 429, rate: 0.5, seed: 1.5 },
    ];
    for (const body of bad) expect((await control(env.sandbox, 'POST', '/faults', body)).status).toBe(400);
  });
});
