// Deployment folders left by a sandbox that died without close(): removed at the next start when
// their owner process is gone, and nothing else is touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../../sandbox';
import { createDataDir, removeStaleDataDirs } from '../../../sandbox/edge/data-dirs';

/** The id of a process that has exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  return pid;
}

function folder(root: string, name: string, owner?: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'functions.js'), '//');
  if (owner !== undefined) writeFileSync(path.join(dir, 'owner.pid'), owner);
  return dir;
}

describe('deployment data folders', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'data-dirs-test-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('are made with the owner process id', () => {
    const dir = createDataDir(root);
    expect([path.basename(dir).startsWith('twilio-sandbox-'), readFileSync(path.join(dir, 'owner.pid'), 'utf8')]).toEqual([
      true,
      String(process.pid),
    ]);
  });

  it('are removed when their owner is gone, and only then', () => {
    const dead = String(deadPid());
    const stale = folder(root, 'twilio-sandbox-stale', dead);
    const kept = [
      folder(root, 'twilio-sandbox-alive', String(process.pid)),
      folder(root, 'twilio-sandbox-no-owner'),
      folder(root, 'twilio-sandbox-garbage', 'not a pid'),
      folder(root, 'other-folder', dead),
    ];
    writeFileSync(path.join(root, 'twilio-sandbox-file'), dead);
    expect(removeStaleDataDirs(root)).toEqual([stale]);
    expect([existsSync(stale), ...kept.map((dir) => existsSync(dir)), existsSync(path.join(root, 'twilio-sandbox-file'))]).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('left by a dead sandbox are removed when a sandbox starts', async () => {
    // In the real temp dir, as a dead sandbox leaves it (os.tmpdir() does not see a TMPDIR set inside jest).
    const stale = folder(os.tmpdir(), `twilio-sandbox-stale-${process.pid}`, String(deadPid()));
    try {
      const sandbox = await startSandbox({ accountSid: `AC${'d1'.repeat(16)}`, authToken: 'd2'.repeat(16) });
      await sandbox.close();
      expect(existsSync(stale)).toBe(false);
    } finally {
      rmSync(stale, { recursive: true, force: true });
    }
  });
});
