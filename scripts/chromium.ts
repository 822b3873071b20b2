// Makes sure Debian's Chromium is installed for the console's browser test and `npm run screenshots`
// (playwright-core drives it; nothing ever downloads a browser of its own). Usable as a module
// (`ensureChromium()`) or on its own: `npm run chromium`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a headless Chromium on a machine with no network beyond loopback: no sandbox (root in a
 * container), no GPU, and none of the background connections (updates, sync, safe browsing) that a
 * closed network refuses many times a second.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--mute-audio',
];

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

/**
 * Returns the path of an installed Chromium, installing Debian's package with apt when it is missing
 * (as root, or through `sudo -n`). Throws with what to do when it cannot.
 */
export function ensureChromium(log: (line: string) => void = (line) => console.error(line)): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (CHROMIUM_PATH !== '/usr/bin/chromium') throw new Error(`CHROMIUM_PATH=${CHROMIUM_PATH} does not exist`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!root && !sudo) {
    throw new Error(
      "Chromium is not installed and this user cannot install it: run `sudo apt-get update && sudo apt-get install -y chromium` (Debian's package), then try again.",
    );
  }
  const apt = (args: string[]): void => (root ? run('apt-get', args) : run('sudo', ['-n', 'apt-get', ...args]));
  log("Installing Debian's chromium with apt-get (once; a minute or two)…");
  apt(['update']);
  apt(['install', '-y', 'chromium']);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

if (require.main === module) {
  try {
    const path = ensureChromium();
    console.log(`${path}: ${execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
