import { callApi, callFromPage } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { inParallel } from '../../support/wait';

interface Usage {
  lookups: number;
  verifications: number;
}

// Own sandbox: paid calls are counted per account.
describe('SMS-pumping defences', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ VERIFY_PREFIX_BUDGET: '20' });
  });
  afterAll(() => own.close());

  const usage = async () => (await (await fetch(`${own.sandbox.url}/_sandbox/usage`)).json()) as Usage;
  const start = (to: string) => callFromPage(`${own.functions.url}/verify/start`, { to, channel: 'sms' });

  it('refuses premium-rate numbers before paying for anything', async () => {
    // Ofcom's drama range 0909 879 0xxx: premium-rate, never a real subscriber.
    const targets = Array.from({ length: 50 }, (_, i) => `+449098790${String(i).padStart(3, '0')}`);
    const results = await inParallel(targets, 20, (to) => start(to));
    expect(results.map((result) => (result.json as { error: { code: string } }).error.code)).toEqual(
      targets.map(() => 'destination_refused'),
    );
    expect(await usage()).toMatchObject({ lookups: 0, verifications: 0 });
  });

  it('stops a burst of 100 starts to one number range with the range budget: 20 codes at most', async () => {
    // 555-0100…0199 in one area code: one range (the number without its last 4 digits), all valid.
    const targets = Array.from({ length: 100 }, (_, i) => `+1303555${String(100 + i).padStart(4, '0')}`);
    const results = await inParallel(targets, 20, (to) => start(to));

    const byCode = new Map<string, number>();
    for (const result of results) {
      const code = result.status === 200 ? 'sent' : (result.json as { error: { code: string } }).error.code;
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    // Lookup types 555-015x as landline and 016x-019x as VoIP or unknown: refused for SMS, each spending the budget.
    expect(byCode.get('range_budget_exhausted')).toBe(80);
    expect((byCode.get('sent') ?? 0) + (byCode.get('destination_refused') ?? 0)).toBe(20);
    const budgetRefusal = results.find((result) => result.status === 429);
    expect(Number(budgetRefusal?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await usage()).verifications).toBeLessThanOrEqual(20);
    const stats = await callApi(`${own.functions.url}/verify/stats`);
    expect(stats.json).toMatchObject({ today: { refused: { range_budget_exhausted: 80, number_type_not_allowed: 50 } } });
  });

  it('caches Lookup for a day: a second start to the same number does not pay for it again', async () => {
    const to = '+447400123457';
    const before = await usage();
    expect((await start(to)).status).toBe(200);
    expect((await start(to)).status).toBe(200);
    const after = await usage();
    expect(after.lookups - before.lookups).toBe(1);
    expect(after.verifications - before.verifications).toBe(2);
  });
});

describe('Lookup sms_pumping_risk (LOOKUP_SMS_PUMPING_RISK=true, own sandbox)', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ LOOKUP_SMS_PUMPING_RISK: 'true', PUMPING_RISK_MAX: '80' });
  });
  afterAll(() => own.close());

  it('refuses a number Lookup scores at or over PUMPING_RISK_MAX, before Verify is paid', async () => {
    // The sandbox's Fraud Guard range scores 100; Verify itself would answer 60410 for it.
    const result = await callFromPage(`${own.functions.url}/verify/start`, { to: '+15005550032', channel: 'sms' });
    expect(result.status).toBe(422);
    expect(result.json).toMatchObject({ error: { code: 'destination_refused' } });
    expect((await callApi(`${own.functions.url}/verify/stats`)).json).toMatchObject({ today: { refused: { pumping_risk: 1 } } });
    const usage = (await (await fetch(`${own.sandbox.url}/_sandbox/usage`)).json()) as {
      lookups: number;
      verifications: number;
      lookupPackages: Record<string, number>;
    };
    expect(usage).toMatchObject({ lookups: 1, verifications: 0 });
  });

  it('sends to a low-risk mobile number', async () => {
    expect((await callFromPage(`${own.functions.url}/verify/start`, { to: '+447400123458' })).status).toBe(200);
  });
});
