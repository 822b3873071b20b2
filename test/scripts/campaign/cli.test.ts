// End to end: `npm run campaign` as a child process against a fake service that implements
// docs/campaigns-api.md, including Ctrl-C and kill -9 halfway, then --resume.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT_DIR } from '../../../local/layout';
import { FAKE_TOKEN, FakeCampaignService } from './fake-service';

const SCRIPT = path.join(ROOT_DIR, 'scripts', 'campaign.ts');

/**
 * scripts/campaign.ts bundled once (esbuild, a few hundred ms), so each child starts in a fraction
 * of ts-node's time; one test runs the script through ts-node exactly as `npm run campaign` does.
 */
const BUNDLE = path.join(mkdtempSync(path.join(os.tmpdir(), 'campaign-bundle-')), 'bin', 'campaign.js');
beforeAll(() => {
  mkdirSync(path.dirname(BUNDLE), { recursive: true });
  buildSync({ entryPoints: [SCRIPT], bundle: true, platform: 'node', target: 'node20', outfile: BUNDLE, logLevel: 'error' });
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the CLI in `cwd` with the token in CAMPAIGN_TOKEN (never on the command line). */
function startCli(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  const { INIT_CWD: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [BUNDLE, ...args], { cwd, env: { ...inherited, CAMPAIGN_TOKEN: FAKE_TOKEN, ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits for the held call, failing fast (with the CLI's output) if the CLI exits first. */
async function reach(held: Promise<void>, run: Run): Promise<void> {
  const early = run.exited.then((code) => {
    throw new Error(`the CLI exited (${code}) before the held call:\n${run.output()}`);
  });
  await Promise.race([held, early]);
}

async function runCli(cwd: string, args: string[], env?: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const run = startCli(cwd, args, env);
  const code = await run.exited;
  return { code, output: run.output() };
}

/** As `npm run campaign` runs it: ts-node from the package root, the user's directory in INIT_CWD. */
async function runViaTsNode(initCwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node'), [SCRIPT, ...args], {
    cwd: ROOT_DIR,
    env: { ...process.env, INIT_CWD: initCwd, CAMPAIGN_TOKEN: FAKE_TOKEN },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

/** `rows` recipients, +1555000NNNN; every 50th a duplicate of the one before, every 100th invalid. */
function writeCsv(dir: string, rows: number): string {
  const lines = ['phone,name'];
  for (let i = 0; i < rows; i += 1) {
    const phone =
      i % 100 === 99
        ? 'not-a-number'
        : i % 50 === 49
          ? `+1555000${String(i - 1).padStart(4, '0')}`
          : `+1555000${String(i).padStart(4, '0')}`;
    lines.push(`${phone},"Person ${i}, Jr"`);
  }
  const file = path.join(dir, 'recipients.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const campaignIdIn = (output: string): string => {
  const match = /--resume (CP[0-9a-f]{32})/.exec(output);
  if (!match) throw new Error(`no resume command in:\n${output}`);
  return match[1];
};

function expectExactlyOnce(service: FakeCampaignService, pages: number): void {
  const accepted = service.acceptedPerPage();
  expect([...accepted.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: pages }, (_, page) => page));
  expect([...accepted.values()].every((count) => count === 1)).toBe(true);
  expect([...service.settled.values()].every((count) => count === 1)).toBe(true);
  const [campaign] = service.campaigns.values();
  expect(campaign.state).toBe('done');
  expect(campaign.recipients.filter((recipient) => recipient.state === 'pending')).toHaveLength(0);
}

describe('npm run campaign (end to end against a fake service)', () => {
  let service: FakeCampaignService;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'campaign-cli-'));
    service = await new FakeCampaignService({ perRun: 400, faults: { run: [503, 429] } }).start();
  });
  afterEach(() => service.close());

  it('uploads every page once, rides out a 503 and a 429, and prints the summary and the refusals file', async () => {
    writeCsv(dir, 1_200);
    const { code, output } = await runCli(dir, ['recipients.csv', '--body', 'Hi {{name}}', '--url', service.url, '--name', 'April']);
    expect(output).toContain('Read 1,200 recipients from recipients.csv');
    expect(code).toBe(0);
    expectExactlyOnce(service, 3);
    const id = campaignIdIn(output);
    expect(output).toMatch(/retry 1 in .*HTTP 503/);
    expect(output).toMatch(/send 1,200\/1,200 \(100%\) sent 1,164 · refused 24 · failed 12/);
    expect(output).toMatch(/Campaign CP[0-9a-f]{32} "April": done/);
    expect(output).toMatch(/ {4}duplicate +12\n {4}invalid +12\n {2}failed +12\n/);
    expect(output).toContain(`Refusals (24): ${path.join('.campaigns', `${id}-refusals.csv`)}`);
    const refusals = readFileSync(path.join(dir, '.campaigns', `${id}-refusals.csv`), 'utf8')
      .trim()
      .split('\n');
    expect(refusals[0]).toBe('to,reason');
    expect(refusals).toHaveLength(25);
    expect(refusals).toContain('not-a-number,invalid');
    const saved = JSON.parse(readFileSync(path.join(dir, '.campaigns', `${id}.json`), 'utf8')) as {
      uploaded: number[];
      csv: { sha256: string };
    };
    expect(saved.uploaded).toEqual([0, 1, 2]);
    expect(saved.csv.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(output).not.toContain(FAKE_TOKEN);
  });

  it('sends one Idempotency-Key with its create and the same key again when it retries it', async () => {
    await service.close();
    service = await new FakeCampaignService({ perRun: 400, faults: { create: [503] } }).start();
    writeCsv(dir, 10);
    const { code } = await runCli(dir, ['recipients.csv', '--body', 'Hi {{name}}', '--url', service.url]);
    expect(code).toBe(0);
    expect(service.createKeys).toHaveLength(2);
    expect(service.createKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(service.createKeys[1]).toBe(service.createKeys[0]);
  });

  it('stops cleanly on Ctrl-C after the run in flight, prints the resume command, and --resume finishes without re-sending', async () => {
    writeCsv(dir, 1_600);
    const held = service.hold('run', 2);
    const first = startCli(dir, ['recipients.csv', '--body', 'Hi {{name}}', '--url', service.url]);
    await reach(held.reached, first);
    first.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 150));
    held.release();
    expect(await first.exited).toBe(130);
    const id = campaignIdIn(first.output());
    expect(first.output()).toContain(`Stopped. Nothing is lost; continue with:\n  npm run campaign -- --resume ${id}`);
    expect(service.count('run')).toBe(2); // the held run was answered, and no other began
    const uploadsBefore = service.count('recipients');

    const second = await runCli(dir, ['--resume', id]);
    expect(second.code).toBe(0);
    expect(second.output).toMatch(/Resuming campaign CP[0-9a-f]{32} "recipients.csv [^"]+": running, 792 sent, 768 pending of 1600/);
    expect(service.count('recipients')).toBe(uploadsBefore); // every page was recorded: none sent again
    expectExactlyOnce(service, 4);
  });

  it('survives kill -9 mid-upload: --resume sends only the unconfirmed page again (the service ignores it) and finishes', async () => {
    writeCsv(dir, 1_600);
    const held = service.hold('recipients', 3);
    const first = startCli(dir, ['recipients.csv', '--body', 'Hi {{name}}', '--url', service.url]);
    await reach(held.reached, first);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    held.release();
    const id = [...service.campaigns.keys()][0];
    expect(JSON.parse(readFileSync(path.join(dir, '.campaigns', `${id}.json`), 'utf8'))).toMatchObject({ uploaded: [0, 1] });

    const second = await runCli(dir, ['--resume', id, '--url', service.url]);
    expect(second.code).toBe(0);
    const uploads = service.calls
      .filter((call) => call.route === 'recipients')
      .map(({ page, duplicate }) => `${page}${duplicate ? ' again' : ''}`);
    expect(uploads).toEqual(['0', '1', '2', '2 again', '3']);
    expectExactlyOnce(service, 4);
    expect(second.output).toContain('Campaign');
  });

  it('refuses a CSV that changed since the campaign was created', async () => {
    const file = writeCsv(dir, 1_200);
    const held = service.hold('recipients', 2);
    const first = startCli(dir, ['recipients.csv', '--body', 'Hi', '--url', service.url]);
    await reach(held.reached, first);
    first.child.kill('SIGKILL');
    await first.exited;
    held.release();
    writeFileSync(file, readFileSync(file, 'utf8').replace('Person 7,', 'Person 8,'));
    const id = [...service.campaigns.keys()][0];
    const second = await runCli(dir, ['--resume', id]);
    expect(second.code).toBe(2);
    expect(second.output).toContain('recipients.csv changed since campaign');
  });

  it('--dry-run prints the plan and creates nothing', async () => {
    const slow = await new FakeCampaignService({ mps: 0.1 }).start();
    writeCsv(dir, 4_000);
    const { code, output } = await runCli(dir, ['recipients.csv', '--body', 'Hi {{name}}', '--url', slow.url, '--dry-run']).finally(() =>
      slow.close(),
    );
    expect(code).toBe(0);
    expect(output).toMatch(/sender +long code, 0.1 messages\/s/);
    expect(output).toMatch(/ETA +11h 06m/);
    expect(output).toContain('does NOT fit');
    expect(slow.campaigns.size).toBe(0);
    expect(slow.count('create')).toBe(1);
    expect(existsSync(path.join(dir, '.campaigns'))).toBe(false);
  });

  it('reports bad input with exit 2 and no stack, before creating anything', async () => {
    writeFileSync(path.join(dir, 'bad.csv'), 'phone,name\n+15550001,Ann\n+15550002,Bob,extra\n');
    const malformed = await runViaTsNode(dir, ['bad.csv', '--body', 'Hi {{name}}', '--url', service.url]);
    expect(malformed.code).toBe(2);
    expect(malformed.output).toContain('bad.csv row 3: 3 values, but the header has 2 (phone, name)');
    expect(malformed.output).not.toMatch(/\n\s+at /);

    writeFileSync(path.join(dir, 'ok.csv'), 'phone,first\n+15550001,Ann\n');
    const column = await runCli(dir, ['ok.csv', '--body', 'Hi {{name}}', '--url', service.url]);
    expect(column.code).toBe(2);
    expect(column.output).toContain('the message uses {{name}} but ok.csv has no such column (its columns are first');

    const missing = await runCli(dir, ['nope.csv', '--body', 'Hi', '--url', service.url]);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('nope.csv: no such file');
    expect(service.count('create')).toBe(0);
  });

  it('warns that --token is visible in ps, never prints it, and explains a refused token', async () => {
    writeFileSync(path.join(dir, 'ok.csv'), 'phone\n+15550001\n');
    const { code, output } = await runCli(dir, ['ok.csv', '--body', 'Hi', '--url', service.url, '--token', 'wrong-token-value'], {
      CAMPAIGN_TOKEN: '',
    });
    expect(code).toBe(1);
    expect(output).toContain('visible to other users of this machine (ps');
    expect(output).toContain('401 unauthorized');
    expect(output).not.toContain('wrong-token-value');
  });
});
