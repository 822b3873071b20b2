// npm test: build, then jest and the static checks (lint, knip, format) side by side.
// jest keeps the cores busy only about four fifths of its run (its suites wait on sandboxes,
// servers and clocks); the checks run at the lowest CPU priority, so they fill that idle time
// instead of adding their minute in front of it. Each check's output is shown when it ends (all
// of it when it fails); the run fails if any step fails, and ends with each step's time and the
// whole run's wall time (npm test must stay within 3 minutes on 2 cores, docs/testing.md).
// `npm test -- <jest arguments>` runs the build and jest only, with those arguments.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import { ROOT_DIR } from '../local/layout';

/**
 * The static checks, each an npm script of package.json (so each stays runnable on its own). Lint
 * reports TypeScript's errors too (local/eslint-type-errors.js, from the program its typed rules
 * build), so `npm run typecheck` (tsc) is not run beside it: the same program twice was ~16 s of CPU.
 */
const CHECKS = ['lint', 'knip', 'format:check'];

interface Outcome {
  step: string;
  ok: boolean;
  seconds: number;
}

const started = Date.now();
const children = new Set<ChildProcess>();
const secondsSince = (at: number): number => (Date.now() - at) / 1000;

/** Starts one step's process, tracked so Ctrl-C stops it; resolves with its outcome when it closes. */
function runStep(step: string, child: ChildProcess): Promise<Outcome> {
  const at = Date.now();
  children.add(child);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      children.delete(child);
      resolve({ step, ok: code === 0, seconds: secondsSince(at) });
    });
  });
}

/** Runs `npm run -s <script>` with its output kept, at the lowest priority, and reports when it ends. */
async function runCheck(script: string): Promise<Outcome> {
  const child = spawn('npm', ['run', '-s', script], { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) setPriority(child.pid, constants.priority.PRIORITY_LOW);
  const output: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  const outcome = await runStep(script, child);
  const shown = outcome.ok ? '' : `\n${Buffer.concat(output).toString('utf8').trimEnd()}\n`;
  process.stdout.write(`\n[npm test] ${script} ${outcome.ok ? 'passed' : 'FAILED'} in ${outcome.seconds.toFixed(1)} s${shown}\n`);
  return outcome;
}

/**
 * V8's young generation for jest and its workers (they inherit NODE_OPTIONS): the suites allocate
 * fast (HTTP requests, JSON, module registries) and spend much of their time in scavenges with the
 * default 16 MB semi-space. 64 MB: jest alone took 210 CPU-s instead of 228 (two runs each, side
 * by side with 32 MB at 219). Not for the checks: lint and Prettier did not change.
 */
const JEST_NODE_OPTIONS = '--max-semi-space-size=64';

/** Runs jest in the foreground (its output streams as it goes). */
function runJest(args: string[]): Promise<Outcome> {
  const env = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, JEST_NODE_OPTIONS].filter(Boolean).join(' ') };
  return runStep('jest', spawn('npx', ['jest', ...args], { cwd: ROOT_DIR, stdio: 'inherit', env }));
}

function summary(outcomes: Outcome[]): string {
  const lines = outcomes.map(({ step, ok, seconds }) => `  ${seconds.toFixed(1).padStart(6)} s  ${ok ? 'ok    ' : 'FAILED'}  ${step}`);
  return `\n[npm test] steps (side by side after the build):\n${lines.join('\n')}\n[npm test] wall time: ${secondsSince(started).toFixed(1)} s\n`;
}

async function main(): Promise<number> {
  const jestArgs = process.argv.slice(2);
  const buildAt = Date.now();
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT_DIR, stdio: 'inherit' });
  const built: Outcome = { step: 'build', ok: build.status === 0, seconds: secondsSince(buildAt) };
  if (!built.ok) {
    process.stdout.write(summary([built]));
    return 1;
  }
  const checks = jestArgs.length > 0 ? [] : CHECKS.map(runCheck);
  const outcomes = [built, ...(await Promise.all([runJest(jestArgs), ...checks]))];
  process.stdout.write(summary(outcomes));
  return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[npm test] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
