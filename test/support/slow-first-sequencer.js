// Jest's order of suites, with the long ones first where jest knows no durations (a clean clone:
// jest then orders by file size, and a short file that runs for 30 s could start last, leaving the
// other worker idle at the end). Keep this list in step with the slowest suites that
// slowest-suites-reporter.js prints after each run.
const Sequencer = require('@jest/test-sequencer').default;

/** The longest suites, longest first (seconds measured in whole runs, 2 workers on 2 cores, 2026-12-07). */
const LONGEST = [
  'test/functions/sms/stop-storm.test.ts', // ~25 s: 1,000 STOPs through the sandbox's phone, then a 10 s outage
  'test/scripts/campaign/real-service.test.ts', // ~21 s: npm run campaign end to end, 600 rows
  'test/scripts/deploy-to-sandbox.test.ts', // ~14 s: three deploys to a sandbox of its own
  'test/functions/campaigns/campaigns.test.ts', // ~14 s
  'test/scripts/twilio-run-start-recipe.test.ts', // ~13 s: docs/deploy.md's recipe as written
  'test/functions/sms/send-when-sync-falters.test.ts', // ~12 s
  'test/functions/verify/spend-ceiling.test.ts', // ~11 s
  'test/functions/sms/burst.test.ts', // ~11 s
  'test/sandbox/messaging-throughput.test.ts', // ~11 s
  'test/dashboard/dashboard.test.ts', // ~11 s: a real browser
  'test/console/dev-reload.test.ts', // ~11 s
  'test/sandbox/throughput.test.ts', // ~10 s
  'test/functions/verify/start.test.ts', // ~9 s
  'test/functions/verify/start-after-accepted.test.ts', // ~9 s
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rank = (test) => {
      const index = LONGEST.findIndex((suffix) => test.path.endsWith(suffix));
      return index === -1 ? LONGEST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep jest's order (failed first, then by duration or size).
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
