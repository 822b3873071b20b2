// npm run dev: like `npm start` (the Functions and, in sandbox mode, the local Twilio beside them),
// but a change under src/ rebuilds and reloads the Functions while the sandbox keeps running with
// all its state (messages, calls, Sync, opt-outs, the clock). Open consoles show each reload.
//
// How it notices changes: esbuild's watch mode over the same entry points `npm run build` uses
// (it follows the import graph, so exactly the files the Functions are built from), plus a plain
// watch of src/assets (menus and other files that are copied, not imported). What it builds: the
// project's own `scripts/build.ts`, unchanged, so dev output is exactly `npm run build` output.
import { spawn } from 'node:child_process';
import { readdirSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { context, type BuildContext } from 'esbuild';
import type { Sandbox } from '../sandbox';
import { bindNumber, bindSandboxWhatsApp } from '../local/bind';
import { flag, portFrom } from '../local/cli-args';
import { clientFor, startSandboxFor } from '../local/env-sandbox';
import { ENV_FILE, ensureEnvFile, readEnvFile } from '../local/env-file';
import { startLocalFunctions, type LocalFunctions } from '../local/functions-server';
import { keepServingThroughStrayErrors } from '../local/stray-errors';
import { provisionFor } from '../local/provision';
import { DIST_DIR, ROOT_DIR, SRC_DIR } from '../local/layout';

/** A notice for people (terminal and console). */
export interface DevNotice {
  text: string;
  ok: boolean;
}

export interface ReloaderOptions {
  /** Rebuilds dist/; rejects with the build's message when it fails. */
  build: () => Promise<void>;
  /** Restarts the Functions from the new dist/. */
  reload: () => Promise<void>;
  notify: (notice: DevNotice) => void;
  /** Changes within this window are one rebuild. Default 100 ms. */
  debounceMs?: number;
}

/**
 * Turns "something changed" into one build and one reload at a time: changes during a build queue
 * exactly one more round; a failed build leaves the running Functions untouched and says why.
 */
export class Reloader {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly reasons = new Set<string>();

  constructor(private readonly options: ReloaderOptions) {}

  /** Something changed (a file name, for the notice). */
  changed(reason: string): void {
    this.reasons.add(reason);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round();
    }, this.options.debounceMs ?? 100);
  }

  /** Resolves when no build or reload is pending or running. */
  async idle(): Promise<void> {
    while (this.timer || this.running) {
      await (this.running ?? new Promise((resolve) => setTimeout(resolve, this.options.debounceMs ?? 100)));
    }
  }

  private async round(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    const reasons = [...this.reasons];
    this.reasons.clear();
    const started = Date.now();
    this.running = (async () => {
      const what = reasons.length === 1 ? reasons[0] : `${reasons.length} files`;
      try {
        await this.options.build();
      } catch (error) {
        this.options.notify({
          ok: false,
          text: `Build failed after a change to ${what}; the previous Functions keep running. ${error instanceof Error ? error.message : String(error)}`,
        });
        return;
      }
      try {
        await this.options.reload();
        this.options.notify({ ok: true, text: `Functions rebuilt and reloaded in ${Date.now() - started} ms (changed: ${what}).` });
      } catch (error) {
        this.options.notify({ ok: false, text: `Reload failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    })();
    await this.running;
    this.running = null;
    if (this.again) {
      this.again = false;
      await this.round();
    }
  }
}

/** `npm run build` (scripts/build.ts) in a child process; rejects with its last output lines. */
export function runProjectBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), path.join(ROOT_DIR, 'scripts', 'build.ts')], {
      cwd: ROOT_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(output.trim().split('\n').slice(-5).join(' ') || `build exited with ${code}`)),
    );
  });
}

/** Forgets the built Functions and asset the runtime `require`d, so a restart loads the new ones. */
export function forgetBuiltModules(distDir = DIST_DIR, cache: Record<string, unknown> = require.cache): number {
  let forgotten = 0;
  for (const key of Object.keys(cache)) {
    if (key.startsWith(distDir + path.sep)) {
      delete cache[key];
      forgotten += 1;
    }
  }
  return forgotten;
}

/**
 * Restarts the local Functions from a new build: stops them, forgets the modules of the old build
 * and starts them again on the same port (webhooks bound to it keep working).
 */
export async function restartFunctions(
  current: LocalFunctions,
  start: (port: number) => Promise<LocalFunctions>,
  distDir = DIST_DIR,
): Promise<LocalFunctions> {
  await current.close();
  forgetBuiltModules(distDir);
  return start(current.port);
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * Watches what the Functions are built from: esbuild's watch over the Functions and the shared
 * library (nothing is written; its only job is to say "changed", with errors caught early), and
 * src/assets. Returns a stop function.
 */
export async function watchSources(onChange: (reason: string) => void, srcDir = SRC_DIR): Promise<() => Promise<void>> {
  let first = true;
  let started: () => void = () => undefined;
  const firstPass = new Promise<void>((resolve) => {
    started = resolve;
  });
  const ctx: BuildContext = await context({
    entryPoints: [...typeScriptFiles(path.join(srcDir, 'functions')), path.join(srcDir, 'lib', 'index.ts')],
    outdir: path.join(ROOT_DIR, '.tmp', 'dev-watch'),
    bundle: true,
    write: false,
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
    plugins: [
      {
        name: 'dev-reload',
        setup(build) {
          build.onEnd(() => {
            // The first pass is the watch starting up: dist/ was just built by `npm run build`.
            if (!first) return onChange('src/');
            first = false;
            started();
          });
        },
      },
    ],
  });
  await ctx.watch();
  await firstPass;
  const watchers: FSWatcher[] = [];
  try {
    watchers.push(watch(path.join(srcDir, 'assets'), { recursive: true }, (_event, file) => onChange(`src/assets/${file ?? ''}`)));
  } catch {
    // No src/assets: nothing to copy, nothing to watch.
  }
  return async () => {
    for (const watcher of watchers) watcher.close();
    await ctx.dispose();
  };
}

async function main(): Promise<void> {
  // The Functions run in this process: one that throws outside its request must not end it (local/stray-errors.ts).
  keepServingThroughStrayErrors();
  // `--env <file>`: Node 20 itself claims `--env-file` anywhere on the command line (even after the script).
  const envFile = flag(process.argv, 'env') ?? flag(process.argv, 'env-file') ?? ENV_FILE;
  if (ensureEnvFile(envFile)) console.log(`Created ${envFile} from .env.example (sandbox defaults, new API_TOKEN).`);
  const env = readEnvFile(envFile);
  const port = portFrom(flag(process.argv, 'port'), 3000);

  let sandbox: Sandbox | undefined;
  const sandboxUrl = env.TWILIO_SANDBOX_URL?.replace(/\/+$/, '');
  if (sandboxUrl) {
    sandbox = await startSandboxFor(env);
    env.VERIFY_SERVICE_SID ??= sandbox.verifyServiceSid;
    // As npm start: the Sync maps exist before the first request (npm run provision).
    console.log(await provisionFor(clientFor(env), env));
  }

  const startFunctions = (on: number) => startLocalFunctions({ port: on, env, publicUrl: env.PUBLIC_BASE_URL, logs: true });
  let functions: LocalFunctions = await startFunctions(port);
  const bind = async (): Promise<void> => {
    if (!sandboxUrl || !env.TWILIO_PHONE_NUMBER) return;
    const client = clientFor(env);
    await bindNumber(client, env.TWILIO_PHONE_NUMBER, functions.url);
    await bindSandboxWhatsApp(sandboxUrl, env.TWILIO_PHONE_NUMBER, functions.url);
  };
  await bind();

  const reloader = new Reloader({
    build: runProjectBuild,
    reload: async () => {
      functions = await restartFunctions(functions, startFunctions);
      await bind(); // a route added since the last build gets its webhook
    },
    notify: (notice) => {
      console.log(`${notice.ok ? '↻' : '✗'} ${notice.text}`);
      sandbox?.notify(notice);
    },
  });
  const stopWatching = await watchSources((reason) => reloader.changed(reason));

  console.log(
    [
      '',
      `  Functions  ${functions.url}        rebuilt and reloaded when src/ changes`,
      ...(sandbox && sandboxUrl
        ? [
            `  Sandbox    ${sandboxUrl}        keeps its state across reloads`,
            `  Console    ${sandboxUrl}/       open in a browser: text and call your number, watch callbacks and Sync`,
          ]
        : ['  REAL TWILIO: messages and calls are real and billed to your account.']),
      '',
    ].join('\n'),
  );

  const stop = (): void => {
    void (async () => {
      await stopWatching();
      await reloader.idle();
      await functions.close();
      await sandbox?.close();
    })().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
