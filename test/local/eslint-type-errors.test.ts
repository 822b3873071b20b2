// local/eslint-type-errors.js: `npm run lint` reports TypeScript's own errors (npm test runs no
// separate tsc), from the program the typed rules build. Linted here in a small project of its
// own (no lib types), so the program takes a fraction of a second.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint, type Rule } from 'eslint';
import tseslint from 'typescript-eslint';
import { match } from '../support/match';

const typeErrors = require('../../local/eslint-type-errors') as Rule.RuleModule;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'type-errors-'));
  const compilerOptions = { strict: true, noEmit: true, types: [], lib: ['ES2022'], target: 'ES2022', module: 'commonjs' };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
  writeFileSync(path.join(dir, 'price.ts'), 'export function price(units: number): number {\n  return units * 2;\n}\n');
  writeFileSync(path.join(dir, 'clean.ts'), "import { price } from './price';\nexport const total: number = price(3);\n");
  // Another file's signature breaks this one: only the whole program sees it.
  writeFileSync(path.join(dir, 'caller.ts'), "import { price } from './price';\n\nexport const total = price('three');\n");
  writeFileSync(path.join(dir, 'wrong.ts'), "export const count: number = 'many';\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lint(
  file: string,
  { typed = true }: { typed?: boolean } = {},
): Promise<Array<{ line: number; column: number; endColumn?: number; message: string }>> {
  // Untyped as the project lints planted code: the parser options typescript-eslint's disableTypeChecked sets.
  const parserOptions = typed ? { projectService: true, tsconfigRootDir: dir } : { program: null, project: false, projectService: false };
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions },
        plugins: { typescript: { rules: { errors: typeErrors } } },
        rules: { 'typescript/errors': 'error' },
      },
    ],
  });
  const [result] = await eslint.lintFiles([path.join(dir, file)]);
  return result.messages.map(({ line, column, endColumn, message }) => ({ line, column, endColumn, message }));
}

describe('the typescript/errors lint rule', () => {
  it("reports a file's type error where tsc does, with its code", async () => {
    expect(await lint('wrong.ts')).toEqual([
      { line: 1, column: 14, endColumn: 19, message: "TS2322: Type 'string' is not assignable to type 'number'." },
    ]);
  });

  it('reports an error another file causes (the whole program is checked)', async () => {
    expect(await lint('caller.ts')).toEqual([
      match.objectContaining({ line: 3, message: match.stringMatching(/^TS2345: Argument of type 'string' is not assignable/) }),
    ]);
  });

  it('reports nothing where type information was not asked for, even on a second lint under CI', async () => {
    // With CI=true typescript-eslint parses in "single run" mode and lints a file it has already
    // seen with an isolated program of that one file: its errors are not the project's.
    const ci = process.env.CI;
    process.env.CI = 'true';
    try {
      expect(await lint('wrong.ts', { typed: false })).toEqual([]);
      expect(await lint('wrong.ts', { typed: false })).toEqual([]);
    } finally {
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });

  it('reports nothing for a file without errors', async () => {
    expect(await lint('clean.ts')).toEqual([]);
  });
});
