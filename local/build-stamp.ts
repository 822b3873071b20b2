import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from './layout';

/**
 * What `dist/` was built from. Every deploy path (npm run deploy, `twilio-run deploy`,
 * `twilio serverless:deploy`) uploads whatever `dist/` holds; the stamp lets each of them see
 * that it is missing or older than the sources, before anything is uploaded.
 */
export interface BuildStamp {
  /** SHA-256 over the inputs of the build (paths and contents). */
  sources: string;
  builtAt: string;
}

/** The build's inputs: the sources, the dependencies bundled into the asset, the build itself. */
const INPUTS = ['src', 'package.json', 'package-lock.json', 'scripts/build.ts'];

/** Outside the deployed folders (dist/functions, dist/assets): never uploaded. */
export const stampFile = (root = ROOT_DIR): string => path.join(root, 'dist', 'build-stamp.json');

function filesUnder(root: string, input: string): string[] {
  const full = path.join(root, input);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [input];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** The hash of the build's inputs as they are now. */
function sourcesHash(root = ROOT_DIR): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(root, input)).sort()) {
    hash
      .update(`${file}\u0000`)
      .update(readFileSync(path.join(root, file)))
      .update('\u0000');
  }
  return hash.digest('hex');
}

/** Written by `npm run build` once dist/ is complete. */
export function writeBuildStamp(root = ROOT_DIR, now = new Date()): BuildStamp {
  const stamp = { sources: sourcesHash(root), builtAt: now.toISOString() };
  writeFileSync(stampFile(root), `${JSON.stringify(stamp, null, 2)}\n`);
  return stamp;
}

/** Why dist/ must not be deployed as it is (missing, unfinished, or built from other sources), or undefined. */
export function staleBuild(root = ROOT_DIR): string | undefined {
  if (!existsSync(path.join(root, 'dist', 'functions'))) return 'dist/ is missing: nothing has been built. Fix: npm run build.';
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile(root), 'utf8')) as BuildStamp;
  } catch {
    return 'dist/ has no build stamp (an unfinished build, or one made by something other than npm run build). Fix: npm run build.';
  }
  if (stamp.sources !== sourcesHash(root)) return `dist/ is stale: src/ changed since it was built (${stamp.builtAt}). Fix: npm run build.`;
  return undefined;
}
