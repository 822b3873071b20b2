// Jest's order of suites, with the long ones first where jest knows no durations (a clean clone:
// jest then orders by file size, and a short file that runs for 30 s could start last, leaving the
// other worker idle at the end). Keep this list in step with the ten slowest suites that
// slowest-suites-reporter.js prints after each run.
const Sequencer = require('@jest/test-sequencer').default;

/** The longest suites, longest first (seconds measured with --maxWorkers=1 on 2 shared cores). */
const LONGEST = [
  'test/functions/sms/stop-storm.test.ts', // ~30 s: 2,000 STOPs through the sandbox's phone
  'test/scripts/campaign/real-service.test.ts', // ~21 s: npm run campaign end to end, 1,000 rows
  'test/functions/sms/send-when-sync-falters.test.ts', // ~13 s
  'test/functions/sms/second-chance.test.ts', // ~9 s
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
