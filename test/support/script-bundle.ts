import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { ROOT_DIR } from '../../local/layout';

/**
 * Each file's own `__dirname` written in, so paths the code takes from it (local/layout.ts's
 * ROOT_DIR, the sandbox's console assets) are the same as under ts-node wherever the bundle lies.
 */
const ownDirname: Plugin = {
  name: 'own-dirname',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))),
      loader: 'ts',
    }));
  },
};

/**
 * scripts/<name>.ts as one JavaScript file (esbuild, a few hundred ms; the packages stay in
 * node_modules), so a child runs it with `node` in about 0.5 s instead of ts-node's 3 to 5 s.
 * Keep one run through ts-node, as npm runs it, in the suite that uses this.
 */
export async function bundledScript(name: string): Promise<string> {
  // Under node_modules/.cache, so the packages resolve from there as they do from the repository.
  const cache = path.join(ROOT_DIR, 'node_modules', '.cache', 'script-bundles');
  mkdirSync(cache, { recursive: true });
  const outfile = path.join(mkdtempSync(path.join(cache, `${name}-`)), `${name}.js`);
  await build({
    entryPoints: [path.join(ROOT_DIR, 'scripts', `${name}.ts`)],
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    outfile,
    plugins: [ownDirname],
    logLevel: 'error',
  });
  return outfile;
}

/** Removes a bundle bundledScript made (in the suite's afterAll). */
export function removeBundle(file: string): void {
  rmSync(path.dirname(file), { recursive: true, force: true });
}
