/** `npm run dev`'s machinery: one build and reload per burst of changes, failures reported, sources watched. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../local/layout';
import { forgetBuiltModules, Reloader, watchSources, type DevNotice } from '../../scripts/dev';
import { match } from '../support/match';

const until = async (check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('Reloader', () => {
  it('turns a burst of changes into one build and one reload, and says so', async () => {
    const calls: string[] = [];
    const notices: DevNotice[] = [];
    const reloader = new Reloader({
      build: () => {
        calls.push('build');
        return Promise.resolve();
      },
      reload: () => {
        calls.push('reload');
        return Promise.resolve();
      },
      notify: (notice) => notices.push(notice),
      debounceMs: 5,
    });
    reloader.changed('src/a.ts');
    reloader.changed('src/b.ts');
    await until(() => notices.length === 1);
    await reloader.idle();
    expect(calls).toEqual(['build', 'reload']);
    expect(notices[0]).toEqual({
      ok: true,
      text: match.stringMatching(/^Functions rebuilt and reloaded in \d+ ms \(changed: 2 files\)\.$/),
    });
  });

  it('keeps the running Functions when the build fails, and runs one more round for changes made during a build', async () => {
    let builds = 0;
    let reloads = 0;
    const notices: DevNotice[] = [];
    let release: () => void = () => undefined;
    const reloader = new Reloader({
      build: async () => {
        builds += 1;
        if (builds === 1)
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        if (builds === 2) throw new Error('src/lib/x.ts: Expected ";"');
      },
      reload: () => {
        reloads += 1;
        return Promise.resolve();
      },
      notify: (notice) => notices.push(notice),
      debounceMs: 5,
    });
    reloader.changed('src/lib/x.ts');
    await until(() => builds === 1);
    reloader.changed('src/lib/x.ts'); // during the build
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await until(() => notices.length === 2);
    await reloader.idle();
    expect([builds, reloads]).toEqual([2, 1]);
    expect(notices[1]).toEqual({
      ok: false,
      text: match.stringContaining(
        'Build failed after a change to src/lib/x.ts; the previous Functions keep running. src/lib/x.ts: Expected ";"',
      ),
    });
  });
});

describe('watchSources', () => {
  it('reports a change to the library the Functions import, and to an asset; not the first build', async () => {
    const src = mkdtempSync(path.join(os.tmpdir(), 'dev-watch-'));
    mkdirSync(path.join(src, 'functions'), { recursive: true });
    mkdirSync(path.join(src, 'lib'), { recursive: true });
    mkdirSync(path.join(src, 'assets'), { recursive: true });
    writeFileSync(path.join(src, 'functions', 'hello.ts'), "export const handler = () => 'hello';\n");
    writeFileSync(path.join(src, 'lib', 'index.ts'), "export { greet } from './greet';\n");
    writeFileSync(path.join(src, 'lib', 'greet.ts'), "export const greet = () => 'hi';\n");
    const changes: string[] = [];
    const stop = await watchSources((reason) => changes.push(reason), src);
    try {
      expect(changes).toEqual([]);
      writeFileSync(path.join(src, 'lib', 'greet.ts'), "export const greet = () => 'hello';\n");
      await until(() => changes.includes('src/'), 10_000);
      writeFileSync(path.join(src, 'assets', 'menu.private.json'), '{}');
      await until(() => changes.some((c) => c.startsWith('src/assets/menu')), 10_000);
    } finally {
      await stop();
      rmSync(src, { recursive: true, force: true });
    }
  });
});

describe('forgetBuiltModules', () => {
  it('drops the built files (and only those) from the require cache, so a restart loads the new build', () => {
    const dist = path.join(os.tmpdir(), 'dist');
    const cache: Record<string, unknown> = {
      [path.join(dist, 'functions', 'sms', 'send.js')]: {},
      [path.join(dist, 'assets', 'comms.private.js')]: {},
      [path.join(os.tmpdir(), 'dist-other', 'x.js')]: {},
      '/node_modules/twilio/index.js': {},
    };
    expect(forgetBuiltModules(dist, cache)).toBe(2);
    expect(Object.keys(cache)).toEqual([path.join(os.tmpdir(), 'dist-other', 'x.js'), '/node_modules/twilio/index.js']);
  });
});

describe('restartFunctions', () => {
  it('serves the new build on the same port after a rebuild (in a process of its own: jest keeps its own module cache)', () => {
    const script = path.join(__dirname, 'restart-functions.fixture.ts');
    const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', script], {
      cwd: ROOT_DIR,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}')).toEqual({ before: 200, samePort: true, after: { rebuilt: true } });
  });
});
