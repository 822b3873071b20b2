// TypeScript to JavaScript for ts-node (npm scripts) and jest (tests): esbuild strips the types,
// file by file, with a source map for stack traces. It type-checks nothing: `npm run lint` (and
// `npm run typecheck`) check every file's types, and tsconfig's isolatedModules keeps each file
// compilable alone. TypeScript's own transpileModule, ts-node's default, spends about 3 s of CPU on the
// ~150 files an npm script such as `npm run doctor` loads; esbuild about a tenth of that.
const { transformSync } = require('esbuild');

/** One file's JavaScript (CommonJS, as tsconfig's module says) and its source map. */
function transpile(sourceText, sourcePath) {
  const { code, map } = transformSync(sourceText, {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'external',
    sourcefile: sourcePath,
    // `await import('x')` stays a require, as tsc makes it for module commonjs (jest runs no ES
    // modules without --experimental-vm-modules).
    supported: { 'dynamic-import': false },
    // tsconfig.json's target ES2022 defines class fields as JavaScript does.
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
  });
  return { code, map };
}

/** ts-node's transpiler seam (tsconfig.json "ts-node": { "transpiler": ... }). */
function create() {
  return {
    transpile(input, { fileName }) {
      const { code, map } = transpile(input, fileName);
      return { outputText: code, sourceMapText: map };
    },
  };
}

module.exports = { transpile, create };
