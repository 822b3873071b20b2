// The campaign end-to-end scenario, at any size: a CSV with duplicates, invalid numbers, opted-out
// and foreign numbers, sent with `npm run campaign` (the real CLI, a child process) through a real
// local Functions server and sandbox whose Messages create answers 20429 to 5 % of requests and
// 500 to 1 % (after carrying the create out: the answer is lost, the message exists). The CLI is
// stopped with Ctrl-C, resumed, killed with SIGKILL, then driven by two CLIs at once. Used by
// test/e2e/campaign-cli.test.ts (a few hundred rows) and `npm run e2e:campaign` (5,000 rows).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ROOT_DIR } from '../../local/layout';
import { startOwnStack, type OwnStack } from './own-stack';
import { TEST_API_TOKEN, TEST_PHONE_NUMBER } from './stack';

type Expected = 'sent' | 'duplicate' | 'invalid' | 'country_not_allowed' | 'opted_out';

interface ScenarioCsv {
  file: string;
  /** Each distinct number (as written in the CSV) and what must become of it. */
  expected: Map<string, Expected>;
  optedOut: string[];
  rows: number;
}

/** US area codes whose 555-01xx lines libphonenumber accepts (+1 is also Canada and the Caribbean). */
function areaCodes(): number[] {
  const us = (number: string) => {
    const parsed = parsePhoneNumberFromString(number);
    return parsed?.isValid() === true && parsed.country === 'US';
  };
  const codes: number[] = [];
  for (let code = 201; code <= 989; code += 1) if (us(`+1${code}5550100`) && us(`+1${code}5550199`)) codes.push(code);
  return codes;
}

/**
 * `rows` rows of `phone,name`: about 5 % repeat the row before (duplicate), 2 % are not numbers,
 * 2 % are UK numbers (ALLOWED_COUNTRIES=US), 1 % belong to people who texted STOP; the rest are
 * distinct US numbers.
 */
function writeScenarioCsv(dir: string, rows: number): ScenarioCsv {
  const codes = areaCodes();
  const expected = new Map<string, Expected>();
  const optedOut: string[] = [];
  const lines = ['phone,name'];
  let fresh = 0;
  let previous = '';
  for (let i = 0; i < rows; i += 1) {
    let phone: string;
    if (i % 20 === 7 && previous) phone = previous;
    else if (i % 50 === 13) phone = `not-a-number-${i}`;
    else if (i % 50 === 29) phone = `+4474001${String(i).padStart(5, '0')}`;
    else {
      if (fresh >= codes.length * 100) throw new Error(`at most ${codes.length * 100} distinct fictional numbers`);
      phone = `+1${codes[Math.floor(fresh / 100)]}55501${String(fresh % 100).padStart(2, '0')}`;
      fresh += 1;
    }
    if (expected.has(phone)) {
      // The first row keeps its fate; the repeat is refused as a duplicate (tracked by row below).
    } else if (phone.startsWith('not-')) expected.set(phone, 'invalid');
    else if (phone.startsWith('+44')) expected.set(phone, 'country_not_allowed');
    else if (i % 100 === 41) {
      expected.set(phone, 'opted_out');
      optedOut.push(phone);
    } else expected.set(phone, 'sent');
    lines.push(`${phone},Person ${i}`);
    previous = phone;
  }
  const file = path.join(dir, 'recipients.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, expected, optedOut, rows };
}

/** The stack: Messages create faulting (5 % 20429; 1 % 500 after the create was carried out), only US allowed. */
async function startFaultyStack(): Promise<OwnStack> {
  const own = await startOwnStack({ ALLOWED_COUNTRIES: 'US' });
  for (const fault of [
    { status: 429, code: 20429, rate: 0.05, seed: 12 },
    { status: 500, code: 20500, rate: 0.01, seed: 34, carriedOut: true },
  ]) {
    const response = await fetch(`${own.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'POST', pathPattern: '/Messages\\.json$', ...fault }),
    });
    if (response.status !== 201) throw new Error(`fault refused: ${await response.text()}`);
  }
  return own;
}

/** The people who texted STOP to our number, through the sandbox's phone. */
async function optOut(own: OwnStack, numbers: readonly string[]): Promise<void> {
  for (const from of numbers) {
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body: 'STOP' }),
    });
    if (!response.ok) throw new Error(`STOP from ${from}: HTTP ${response.status}`);
  }
}

/** scripts/campaign.ts bundled once (esbuild), so each CLI starts in a fraction of ts-node's time. */
function bundleCli(): string {
  const bundle = path.join(mkdtempSync(path.join(os.tmpdir(), 'campaign-e2e-')), 'campaign.js');
  mkdirSync(path.dirname(bundle), { recursive: true });
  buildSync({
    entryPoints: [path.join(ROOT_DIR, 'scripts', 'campaign.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'error',
  });
  return bundle;
}

interface CliRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The CLI in `cwd`, talking to `url` with the token in CAMPAIGN_TOKEN. */
function startCli(bundle: string, cwd: string, url: string, args: string[]): CliRun {
  const { INIT_CWD: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [bundle, ...args, '--url', url], {
    cwd,
    env: { ...inherited, CAMPAIGN_TOKEN: TEST_API_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, output: () => output, exited };
}

interface Progress {
  total: number;
  sent: number;
  refused: number;
  failed: number;
  pending: number;
}

async function campaignStatus(
  own: OwnStack,
  id: string,
): Promise<{ state: string; progress: Progress; refusedByReason: Record<string, number> }> {
  const response = await fetch(`${own.functions.url}/campaigns/status?id=${id}`, {
    headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
  });
  return (await response.json()) as { state: string; progress: Progress; refusedByReason: Record<string, number> };
}

/** The campaign id, once the CLI printed it. */
async function campaignIdOf(run: CliRun): Promise<string> {
  for (;;) {
    const match = /Created campaign (CP[0-9a-f]{32})/.exec(run.output());
    if (match) return match[1];
    const done = await Promise.race([run.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 50))]);
    if (done && !/Created campaign CP/.test(run.output())) throw new Error(`the CLI exited before creating the campaign:\n${run.output()}`);
  }
}

/** Waits until the service has settled at least `share` of the recipients. */
async function untilSettled(own: OwnStack, id: string, share: number, run: CliRun): Promise<void> {
  let exited = false;
  void run.exited.then(() => (exited = true));
  for (;;) {
    const { progress } = await campaignStatus(own, id);
    if (progress.total > 0 && (progress.sent + progress.refused + progress.failed) / progress.total >= share) return;
    if (exited) throw new Error(`the CLI exited before ${share * 100} % was settled:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Verdict {
  /** Eligible numbers that did not get exactly one message, with how many they got. */
  notExactlyOnce: Array<[string, number]>;
  /** Refused numbers that got a message anyway. */
  messagedAnyway: string[];
  /** Refusal reasons in the CLI's refusals CSV, by reason. */
  reasons: Record<string, number>;
  /** Numbers whose recorded reason is not the expected one. */
  wrongReason: string[];
}

/** What Twilio holds (every outbound message) and what the CLI wrote, against the scenario. */
async function judge(own: OwnStack, csv: ScenarioCsv, refusalsFile: string): Promise<Verdict> {
  const messages = (await own.client.messages.list({ pageSize: 1000 })).filter((message) => message.direction === 'outbound-api');
  const perRecipient = new Map<string, number>();
  for (const message of messages) perRecipient.set(message.to, (perRecipient.get(message.to) ?? 0) + 1);
  const notExactlyOnce: Array<[string, number]> = [];
  const messagedAnyway: string[] = [];
  for (const [number, fate] of csv.expected) {
    const count = perRecipient.get(number) ?? 0;
    if (fate === 'sent' && count !== 1) notExactlyOnce.push([number, count]);
    if (fate !== 'sent' && count !== 0) messagedAnyway.push(number);
  }
  const reasons: Record<string, number> = {};
  const wrongReason: string[] = [];
  const lines = readFileSync(refusalsFile, 'utf8').trim().split('\n').slice(1);
  for (const line of lines) {
    const [to, reason] = line.split(',');
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (reason !== 'duplicate' && csv.expected.get(to) !== reason) wrongReason.push(`${to} ${reason}`);
  }
  return { notExactlyOnce, messagedAnyway, reasons, wrongReason };
}

/** How many of each fate the scenario holds, duplicates counted by row. */
function expectedReasons(csv: ScenarioCsv): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const fate of csv.expected.values()) if (fate !== 'sent') counts[fate] = (counts[fate] ?? 0) + 1;
  const distinct = csv.expected.size;
  return { ...counts, duplicate: csv.rows - distinct };
}

export interface ScenarioResult {
  id: string;
  verdict: Verdict;
  expected: Record<string, number>;
  /** Exit codes: Ctrl-C'd, killed (-1: by a signal), the two drivers at once. */
  codes: { interrupted: number | null; killed: number | null; drivers: Array<number | null> };
  outputs: { interrupted: string; drivers: string[] };
  progress: Progress;
  seconds: number;
}

/**
 * The whole scenario: the CLI creates the campaign and starts sending; Ctrl-C once the first
 * results are in; `--resume`, killed with SIGKILL `killAfterMs` later (a run in flight); then two
 * `--resume` drivers at once, to the end. Judged from Twilio's Messages and the refusals CSV.
 */
export async function runScenario(rows: number, { killAfterMs = 2_500 } = {}): Promise<ScenarioResult> {
  const started = performance.now();
  const own = await startFaultyStack();
  try {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'campaign-e2e-run-'));
    const csv = writeScenarioCsv(dir, rows);
    await optOut(own, csv.optedOut);
    const bundle = bundleCli();
    const url = own.functions.url;
    const first = startCli(bundle, dir, url, ['recipients.csv', '--body', 'Hi {{name}}, your appointment is tomorrow.', '--name', 'E2E']);
    const id = await campaignIdOf(first);
    await untilSettled(own, id, 0.01, first);
    first.child.kill('SIGINT');
    const interrupted = await first.exited;
    const resumed = startCli(bundle, dir, url, ['--resume', id]);
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    resumed.child.kill('SIGKILL');
    const killed = await resumed.exited;
    const drivers = [startCli(bundle, dir, url, ['--resume', id]), startCli(bundle, dir, url, ['--resume', id])];
    const driverCodes = await Promise.all(drivers.map((driver) => driver.exited));
    const verdict = await judge(own, csv, path.join(dir, '.campaigns', `${id}-refusals.csv`));
    return {
      id,
      verdict,
      expected: expectedReasons(csv),
      codes: { interrupted, killed, drivers: driverCodes },
      outputs: { interrupted: first.output(), drivers: drivers.map((driver) => driver.output()) },
      progress: (await campaignStatus(own, id)).progress,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    // Status callbacks may still be in flight (hundreds on 2 cores): close whatever remains.
    await own.sandbox.settled(30_000).catch(() => undefined);
    await own.functions.close();
    await own.sandbox.close();
  }
}
