import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { callFromPage, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { inParallel } from '../../support/wait';

interface Usage {
  lookups: number;
  verifications: number;
}

const BUDGET = 20;

/** UK mobiles +44 7NNN 001234: each in a range of its own (the number without its last 4 digits). */
const acrossRanges = (count: number) =>
  Array.from({ length: 600 }, (_, i) => `+447${400 + i}001234`)
    .filter((number) => parsePhoneNumberFromString(number)?.country === 'GB')
    .slice(0, count);
/** UK mobiles +44 7400 12NNNN: one range. */
const inOneRange = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `+44740012${String(from + i).padStart(4, '0')}`);

// Own sandbox: paid calls and Sync writes are counted per account, and the hour's budgets are its own.
describe('the spend ceiling and refusals on /verify/start (PAID_ACTIONS_PER_HOUR=20)', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({
      PAID_ACTIONS_PER_HOUR: String(BUDGET),
      VERIFY_PREFIX_BUDGET: '2',
      VERIFY_EMAIL_DOMAIN_BUDGET: '2',
      VERIFY_CHANNELS: 'sms,email',
    });
  });
  afterAll(() => own.close());

  const usage = async () => (await (await fetch(`${own.sandbox.url}/_sandbox/usage`)).json()) as Usage;
  const syncWrites = async () => ((await (await fetch(`${own.sandbox.url}/_sandbox/sync/stats`)).json()) as { writes: number }).writes;
  const start = (to: string, channel = 'sms') => callFromPage(`${own.functions.url}/verify/start`, { to, channel });
  const codeOf = (result: HttpResult) => (result.status === 200 ? 'sent' : (result.json as { error: { code: string } }).error.code);

  it('gives email codes an hourly budget per domain (VERIFY_EMAIL_DOMAIN_BUDGET)', async () => {
    const results = [];
    for (const to of ['ann@example.org', 'bob@example.org', 'cat@example.org', 'dan@example.net'])
      results.push(codeOf(await start(to, 'email')));
    expect(results).toEqual(['sent', 'sent', 'range_budget_exhausted', 'sent']);
  });

  it('answers 1,000 refusals for an exhausted range with at most 10 Sync writes', async () => {
    // Two codes spend the range's budget of 2 (a Lookup and a code each: 4 of the ceiling's 20).
    for (const to of inOneRange(2)) expect(codeOf(await start(to))).toBe('sent');
    const before = await syncWrites();
    const refused = await inParallel(inOneRange(1000, 2), 20, (to) => start(to));
    expect(new Set(refused.map(codeOf))).toEqual(new Set(['range_budget_exhausted']));
    expect((await syncWrites()) - before).toBeLessThanOrEqual(10);
  });

  it('stops a flood across 200 ranges at the ceiling: paid calls never pass PAID_ACTIONS_PER_HOUR', async () => {
    expect(acrossRanges(200)).toHaveLength(200);
    const results = await inParallel(acrossRanges(200), 20, (to) => start(to));
    const codes = results.map(codeOf);
    expect(codes.filter((code) => code === 'budget_exhausted').length).toBeGreaterThan(180);
    expect(new Set(codes)).toEqual(new Set(['sent', 'budget_exhausted']));
    const refusal = results.find((result) => codeOf(result) === 'budget_exhausted');
    expect(refusal?.status).toBe(429);
    expect(Number(refusal?.headers.get('retry-after'))).toBeGreaterThan(0);
    const paid = await usage();
    expect(paid.lookups + paid.verifications).toBeLessThanOrEqual(BUDGET);
  });
});
