// The folders deployments are written to (`<os temp dir>/twilio-sandbox-*`). Each holds the id of
// the process that made it (`owner.pid`), so a sandbox that starts can remove the folders of
// sandboxes that died without `close()`, and nothing else.
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DATA_DIR_PREFIX = 'twilio-sandbox-';
const OWNER_FILE = 'owner.pid';

/** A new data folder under the OS temp dir, owned by this process. */
export function createDataDir(tmpDir: string = os.tmpdir()): string {
  const dir = mkdtempSync(path.join(tmpDir, DATA_DIR_PREFIX));
  writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

/** Whether process `pid` runs (EPERM: it runs as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner of a data folder, or undefined when it names none (being made, or not ours). */
function ownerOf(dir: string): number | undefined {
  try {
    const text = readFileSync(path.join(dir, OWNER_FILE), 'utf8').trim();
    return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the `twilio-sandbox-*` folders under `tmpDir` whose owning process is gone; returns them. */
export function removeStaleDataDirs(tmpDir: string = os.tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(tmpDir).filter((name) => name.startsWith(DATA_DIR_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const dir = path.join(tmpDir, name);
    try {
      if (!lstatSync(dir).isDirectory()) continue;
      const owner = ownerOf(dir);
      if (owner === undefined || isRunning(owner)) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Gone meanwhile, or not ours to remove: left as it is.
    }
  }
  return removed;
}
