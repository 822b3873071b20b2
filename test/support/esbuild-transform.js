// Jest's TypeScript transform: local/esbuild-transpiler.js, the one ts-node uses for npm scripts.
// It type-checks nothing (`npm run lint` checks every test file's types beside jest); ts-jest
// did the same work (transpile-only under isolatedModules) several times slower, loading TypeScript
// in every worker.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { version } = require('esbuild');
const { transpile } = require('../../local/esbuild-transpiler');

/** What the output depends on besides the file: esbuild's version and the transpiler's code. */
const TRANSFORM_KEY = createHash('sha256')
  .update(version)
  .update(readFileSync(require.resolve('../../local/esbuild-transpiler')))
  .digest('hex');

module.exports = {
  process: transpile,
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(TRANSFORM_KEY).update(sourcePath).update('\0').update(sourceText).digest('hex');
  },
};
