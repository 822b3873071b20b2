// Jest's TypeScript transform: esbuild strips the types, file by file, with a source map for stack
// traces. It type-checks nothing: `npm run typecheck` (tsc --noEmit) has checked every test file
// before jest runs, and tsconfig's isolatedModules keeps each file compilable alone. ts-jest did the
// same work (transpile-only under isolatedModules) several times slower, loading TypeScript in
// every worker.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transformSync, version } = require('esbuild');

/** What the output depends on besides the file: esbuild's version and this file. */
const TRANSFORM_KEY = createHash('sha256').update(version).update(readFileSync(__filename)).digest('hex');

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = transformSync(sourceText, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: sourcePath,
      // `await import('x')` becomes a require, as tsc makes it for module commonjs (jest runs
      // no ES modules without --experimental-vm-modules).
      supported: { 'dynamic-import': false },
      // tsconfig.json's target ES2022 defines class fields as JavaScript does.
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
    });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(TRANSFORM_KEY).update(sourcePath).update('\0').update(sourceText).digest('hex');
  },
};
