// npm run e2e:campaign [-- rows]: the campaign end to end at 5,000 rows (test/support/campaign-scenario.ts):
// the real CLI, the local Functions and the sandbox with 5 % 20429 and 1 % 500 on Messages create;
// Ctrl-C, resume, kill -9, two drivers at once. `npm test` runs the same scenario at 1,000 rows.
import { runScenario } from '../test/support/campaign-scenario';

async function main(): Promise<number> {
  const rows = Number(process.argv[2] ?? 5_000);
  const quiet = console.warn;
  console.warn = () => undefined;
  const result = await runScenario(rows).finally(() => (console.warn = quiet));
  const { verdict, progress } = result;
  const ok =
    verdict.notExactlyOnce.length === 0 &&
    verdict.messagedAnyway.length === 0 &&
    verdict.wrongReason.length === 0 &&
    JSON.stringify(Object.entries(verdict.reasons).sort()) === JSON.stringify(Object.entries(result.expected).sort()) &&
    result.codes.interrupted === 130 &&
    result.codes.drivers.every((code) => code === 0);
  console.log(`campaign e2e: ${rows} rows in ${result.seconds.toFixed(1)} s (campaign ${result.id})`);
  console.log(
    `  exit codes: Ctrl-C ${result.codes.interrupted}, kill -9 ${result.codes.killed}, two drivers ${result.codes.drivers.join(' and ')}`,
  );
  console.log(`  progress: ${JSON.stringify(progress)}`);
  console.log(`  refusals: ${JSON.stringify(verdict.reasons)} (expected ${JSON.stringify(result.expected)})`);
  console.log(
    `  eligible not sent exactly once: ${verdict.notExactlyOnce.length}; refused but messaged: ${verdict.messagedAnyway.length}; wrong reason: ${verdict.wrongReason.length}`,
  );
  console.log(ok ? '  exactly once: yes' : '  FAILED');
  return ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
