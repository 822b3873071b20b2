import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The Twilio CLI with the Serverless plugin, as a user installs it (npm's twilio-cli, then
 * `twilio plugins:install @twilio-labs/plugin-serverless`), kept in a cache outside the
 * repository so it is installed once per machine. Versions: the newest on this registry
 * (twilio-cli 6.2.4; the plugin only up to 3.1.3, which brings twilio-run 3.5.4).
 */
const CLI_VERSION = '6.2.4';
const PLUGIN = '@twilio-labs/plugin-serverless@3.1.3';

export interface TwilioCli {
  /** The `twilio` executable. */
  bin: string;
  /** The HOME the CLI keeps its plugins under. */
  home: string;
}

const cacheDir = () =>
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'twilio-comms', `twilio-cli-${CLI_VERSION}`);

/** Installs the CLI and the plugin when missing; the reason when it cannot (no registry, offline). */
export function ensureTwilioCli(): TwilioCli | { unavailable: string } {
  const dir = cacheDir();
  const cli = { bin: path.join(dir, 'node_modules', '.bin', 'twilio'), home: path.join(dir, 'home') };
  const pluginMarker = path.join(cli.home, '.twilio-cli', 'node_modules', '@twilio-labs', 'plugin-serverless', 'package.json');
  if (existsSync(cli.bin) && existsSync(pluginMarker)) return cli;
  mkdirSync(cli.home, { recursive: true });
  const step = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(command, args, { cwd: dir, env, encoding: 'utf8', timeout: 240_000 });
  const installed = step('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', `twilio-cli@${CLI_VERSION}`]);
  if (installed.status !== 0) return { unavailable: `npm install twilio-cli@${CLI_VERSION} failed: ${installed.stderr.slice(-300)}` };
  const plugin = step(cli.bin, ['plugins:install', PLUGIN], { ...process.env, HOME: cli.home });
  if (plugin.status !== 0 || !existsSync(pluginMarker))
    return { unavailable: `twilio plugins:install ${PLUGIN} failed: ${(plugin.stderr || plugin.stdout).slice(-300)}` };
  return cli;
}
