/**
 * docs/deploy.md's `twilio-run start` recipe, run as written: its commands are read from the page
 * (the fenced block after `<!-- recipe: twilio-run start -->`), so the test breaks when the page
 * drifts. It runs in a copy of the project (the developer's .env and dist/ untouched), offline, with
 * two free ports in place of 3000 and 3001; the copy's node_modules is a link (so `npm ci` is the
 * one step not run). The sandbox's phone texts the number (a signed webhook) and /verify/start
 * reaches the sandbox's Verify service.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../local/layout';
import { freePort } from '../support/free-port';
import { match } from '../support/match';
import { eventually } from '../support/wait';

const RECIPE_MARKER = '<!-- recipe: twilio-run start -->';

interface Section {
  header: string;
  commands: string[];
}

/** The recipe's commands, grouped under their `# …` headers (a `\` continues a command on the next line). */
function recipeSections(markdown: string): Section[] {
  const after = markdown.slice(markdown.indexOf(RECIPE_MARKER));
  const block = /```bash\n([\s\S]*?)```/.exec(after);
  if (!markdown.includes(RECIPE_MARKER) || !block) throw new Error(`no fenced bash block after ${RECIPE_MARKER}`);
  const sections: Section[] = [];
  let pending = '';
  for (const line of block[1].split('\n')) {
    if (!pending && line.startsWith('#')) {
      sections.push({ header: line, commands: [] });
      continue;
    }
    if (!line.trim()) continue;
    pending += pending ? `\n${line}` : line;
    if (line.endsWith('\\')) continue;
    sections.at(-1)?.commands.push(pending);
    pending = '';
  }
  return sections;
}

interface Run {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

describe("docs/deploy.md's `twilio-run start` recipe, run as written", () => {
  const sections = recipeSections(readFileSync(path.join(ROOT_DIR, 'docs', 'deploy.md'), 'utf8'));
  let project: string;
  const serving: Run[] = [];

  beforeAll(() => {
    project = mkdtempSync(path.join(os.tmpdir(), 'recipe-'));
    for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', '.twilioserverlessrc.js', '.env.example']) {
      cpSync(path.join(ROOT_DIR, entry), path.join(project, entry));
    }
    for (const dir of ['src', 'local', 'scripts', 'sandbox'])
      cpSync(path.join(ROOT_DIR, dir), path.join(project, dir), { recursive: true });
    symlinkSync(path.join(ROOT_DIR, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  });

  afterAll(async () => {
    // Each serving command runs in a process group of its own (bash, npm, node): all of it stops.
    for (const run of serving) {
      if (run.child.pid === undefined) continue;
      const group = run.child.pid;
      try {
        process.kill(-group, 'SIGTERM');
      } catch {
        // already gone
      }
      await run.exited;
      await eventually(
        () => {
          try {
            process.kill(-group, 0);
            return Promise.resolve(false);
          } catch {
            return Promise.resolve(true);
          }
        },
        (gone) => gone,
        15_000,
      );
    }
    rmSync(project, { recursive: true, force: true });
  });

  it('reads the page: install, build and setup once, then the sandbox, twilio-run start and the tries in three terminals', () => {
    expect(sections.map((section) => section.header.replace(/:.*$/, ''))).toEqual([
      '# once',
      '# terminal 1',
      '# terminal 2',
      '# terminal 3',
    ]);
    expect(sections[0].commands).toEqual(['npm ci', 'npm run build', 'npm run setup']);
    expect(sections[2].commands).toEqual([match.stringMatching(/^npx twilio-run start\b/)]);
  });

  it('serves the Functions: the phone texts the number (a signed webhook) and /verify/start sends a code', async () => {
    const [functionsPort, sandboxPort] = [await freePort(), await freePort()];
    const onPorts = (command: string) => command.replace(/\b3000\b/g, String(functionsPort)).replace(/\b3001\b/g, String(sandboxPort));
    // A clean environment: what a new user's shell has, nothing of this test run's stack.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: os.tmpdir(), CI: 'true' };
    const run = (command: string): Run => {
      const child = spawn('bash', ['-c', onPorts(command)], { cwd: project, env, detached: true });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', resolve)) };
    };
    const toEnd = async (command: string) => {
      const done = run(command);
      const code = await done.exited;
      if (code !== 0) throw new Error(`\`${command}\` exited with ${code}:\n${done.output()}`);
      return done.output();
    };
    const answers = (url: string) => () =>
      fetch(url).then(
        (response) => response.status,
        () => 0,
      );

    const [once, sandbox, functions, tries] = sections;
    for (const command of once.commands.filter((command) => command !== 'npm ci')) await toEnd(command);
    // The .env that `npm run setup` wrote points at port 3001: moved to the free port, as a user with 3001 taken would.
    const envFile = path.join(project, '.env');
    writeFileSync(envFile, onPorts(readFileSync(envFile, 'utf8')));
    expect(readFileSync(envFile, 'utf8')).toMatch(/^VERIFY_SERVICE_SID=VA[0-9a-f]{32}$/m);

    serving.push(run(sandbox.commands[0]));
    await eventually(answers(`http://localhost:${sandboxPort}/`), (status) => status > 0, 30_000);
    serving.push(run(functions.commands[0]));
    await eventually(answers(`http://localhost:${functionsPort}/health`), (status) => status === 200, 45_000);
    expect(serving[1].output()).toContain('No signature checks locally in this mode');
    expect(serving[1].output()).not.toContain('VERIFY_SERVICE_SID is empty');

    const outputs = new Map<string, string>();
    for (const command of tries.commands) outputs.set(command, await toEnd(command));
    const outputOf = (pattern: RegExp) => [...outputs].find(([command]) => pattern.test(command))?.[1] ?? '';

    const texted = JSON.parse(outputOf(/_sandbox\/phone\/sms/)) as { webhook: { url: string; status: number } };
    expect(texted.webhook).toMatchObject({ url: `http://localhost:${functionsPort}/sms/incoming`, status: 200 });
    const verification = JSON.parse(outputOf(/\/verify\/start/)) as Record<string, unknown>;
    expect(verification).toMatchObject({ sid: match.stringMatching(/^VE[0-9a-f]{32}$/), status: 'pending', to: '+14155550142' });
  }, 180_000);
});
