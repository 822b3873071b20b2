// `npm run campaign` end to end against the real thing: the built Functions on a local server and
// the sandbox, with Messages create faulting (5 % 20429, 1 % 500 after the create was carried out).
// The same scenario at 5,000 rows is `npm run e2e:campaign` (too long for `npm test` on 2 cores).
import { runScenario, type ScenarioResult } from '../../support/campaign-scenario';

const ROWS = 600;

describe('npm run campaign against the local Functions and sandbox, Twilio faulting', () => {
  let result: ScenarioResult;
  beforeAll(async () => {
    result = await runScenario(ROWS);
  }, 170_000);

  it('sends every eligible recipient exactly one message through Ctrl-C, a kill -9 and two drivers at once', () => {
    expect(result.codes).toEqual({ interrupted: 130, killed: -1, drivers: [0, 0] });
    expect(result.outputs.interrupted).toContain(`npm run campaign -- --resume ${result.id}`);
    expect(result.verdict.notExactlyOnce).toEqual([]);
    expect(result.verdict.messagedAnyway).toEqual([]);
    expect(result.progress).toMatchObject({ total: ROWS, pending: 0, failed: 0 });
  });

  it('gives every other row its reason', () => {
    expect(result.verdict.reasons).toEqual(result.expected);
    expect(result.verdict.wrongReason).toEqual([]);
    expect(result.progress.refused).toBe(Object.values(result.expected).reduce((sum, n) => sum + n, 0));
  });
});
