// npm run build: src/ → dist/ (functions transpiled one file each, src/lib bundled into one private asset).
// It first checks the env file (`.env`, or --env-file): a broken value stops the build, one line per problem.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readIvrConfig } from '../src/lib/voice/menu';
import { ASSETS_DIR, DIST_DIR, FUNCTIONS_DIR, ROOT_DIR, SHARED_ASSET_FILE, SRC_DIR } from '../local/layout';
import { flag } from '../local/cli-args';
import { writeBuildStamp } from '../local/build-stamp';
import { functionCountProblem } from '../local/build-limits';
import { envFileReports } from '../local/env-check';
import { ENV_FILE, readEnvFile } from '../local/env-file';

const { version } = require(path.join(ROOT_DIR, 'package.json')) as { version: string };

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The IVR menu is data: a mistake in it fails the build with every problem listed, not a call. */
function checkIvrMenu(file: string): void {
  if (!existsSync(file)) return;
  try {
    readIvrConfig(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`${path.relative(ROOT_DIR, file)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The env file the built Functions will run with: a broken value fails the build (no file: nothing to check). */
function checkEnvFile(file: string): void {
  if (!existsSync(file)) return;
  const env = readEnvFile(file);
  const { warnings, refusal } = envFileReports(env, file);
  for (const warning of warnings) console.warn(warning);
  if (refusal) throw new Error(`npm run build refused: ${refusal}`);
}

/** Files under `dir`, relative to it. */
const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    : [];

/** Moves every file of `from` over its place in `to` (a rename each: atomic), then removes what `to` has that `from` had not. */
function replaceTree(from: string, to: string): void {
  const built = filesUnder(from);
  for (const file of built) {
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    renameSync(path.join(from, file), path.join(to, file));
  }
  const keep = new Set(built);
  for (const file of filesUnder(to)) if (!keep.has(file)) rmSync(path.join(to, file));
}

async function main(): Promise<void> {
  checkEnvFile(path.resolve(flag(process.argv, 'env-file') ?? ENV_FILE));
  // Built aside, then moved over dist/ file by file: a server running from dist/ (npm start, a
  // test) never finds a Function missing while a build runs.
  const staging = mkdtempSync(path.join(ROOT_DIR, 'node_modules', '.cache-build-'));
  try {
    await buildInto(staging);
    replaceTree(staging, DIST_DIR);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  // Last: a stamp only for a complete build; every deploy path checks it (local/build-stamp.ts).
  writeBuildStamp();
  console.log(`built ${path.relative(ROOT_DIR, FUNCTIONS_DIR)} and ${path.relative(ROOT_DIR, SHARED_ASSET_FILE)}`);
}

/** The Functions, the shared asset and the other assets, built under `staging` as dist/ lays them out. */
async function buildInto(staging: string): Promise<void> {
  const functionsOut = path.join(staging, path.relative(DIST_DIR, FUNCTIONS_DIR));
  const assetsOut = path.join(staging, path.relative(DIST_DIR, ASSETS_DIR));
  const common = { platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' } as const;

  // Functions: no bundling. Each file only loads shared code through Runtime.getAssets().
  const functionFiles = typeScriptFiles(path.join(SRC_DIR, 'functions'));
  const tooMany = functionCountProblem(functionFiles);
  if (tooMany) throw new Error(`npm run build refused: ${tooMany}`);
  await build({
    ...common,
    entryPoints: functionFiles,
    outbase: path.join(SRC_DIR, 'functions'),
    outdir: functionsOut,
  });

  // The shared logic: one self-contained private asset. `twilio` comes from the runtime's global.
  await build({
    ...common,
    entryPoints: [path.join(SRC_DIR, 'lib', 'index.ts')],
    bundle: true,
    external: ['twilio'],
    define: { __APP_VERSION__: JSON.stringify(version) },
    outfile: path.join(assetsOut, path.relative(ASSETS_DIR, SHARED_ASSET_FILE)),
  });

  // Other assets (menus, audio, the dashboard's page, ...) are copied as they are; no source maps, which would be public.
  const staticAssets = path.join(SRC_DIR, 'assets');
  if (existsSync(staticAssets)) {
    cpSync(staticAssets, assetsOut, { recursive: true, filter: (source) => !/\.(map|gitkeep)$/.test(source) });
  }

  // The operator dashboard's script, with its chart library, as public assets (no CDN: works offline).
  await build({
    entryPoints: [path.join(SRC_DIR, 'dashboard', 'app.js')],
    bundle: true,
    minify: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    logLevel: 'warning',
    outfile: path.join(assetsOut, 'dashboard', 'dashboard.js'),
  });
  cpSync(require.resolve('uplot/dist/uPlot.min.css'), path.join(assetsOut, 'dashboard', 'uplot.css'));
  checkIvrMenu(path.join(staticAssets, 'ivr-menu.private.json'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
