import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../local/layout';
import { freePort } from '../support/free-port';
import { BROKEN_VALUES } from '../lib/config/broken-values';
import { bundledScript, removeBundle } from '../support/script-bundle';
import { runCommand } from '../support/run-command';

/**
 * Runs a script with ts-node, or (a `.js` path) with node; resolves with its exit code and
 * everything it printed.
 */
function run(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const command = script.endsWith('.js') ? process.execPath : path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node');
  return runCommand(command, [script, ...args], { ...process.env, CI: 'true' });
}

function brokenEnvFile(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'env-check-')), '.env');
  writeFileSync(
    file,
    Object.entries(BROKEN_VALUES)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n') + '\nALLOWED_COUNTRY=US\n',
  );
  return file;
}

/** Every variable named on its own line with a fix; no value printed (the long and distinctive ones are checked). */
function expectOneLinePerProblem(output: string): void {
  for (const name of Object.keys(BROKEN_VALUES)) expect(output).toMatch(new RegExp(`^  ${name}: .+\\. Fix: .+\\.$`, 'm'));
  for (const value of Object.values(BROKEN_VALUES).filter((value) => value.length >= 8)) expect(output).not.toContain(value);
  expect(output).toContain(`has ${Object.keys(BROKEN_VALUES).length} broken settings:`);
}

describe('build and start check the whole env file first', () => {
  // npm start runs through ts-node in test/scripts/start.test.ts; here from a bundle (node starts it in 0.5 s).
  let startBundle: string;
  beforeAll(async () => {
    startBundle = await bundledScript('start');
  });
  afterAll(() => removeBundle(startBundle));

  it('npm run build refuses every broken value, one line each, before touching dist/ (and warns of a misspelt name)', async () => {
    const { code, output } = await run('scripts/build.ts', ['--env-file', brokenEnvFile()]);
    expect(code).toBe(1);
    expect(output).toMatch(/^npm run build refused: /m);
    expect(output).toContain('ALLOWED_COUNTRY, which nothing reads: did you mean ALLOWED_COUNTRIES?');
    expect(output).not.toContain('built dist/functions');
    expectOneLinePerProblem(output);
  });

  it('npm start refuses every broken value, one line each, and starts nothing', async () => {
    const { code, output } = await run(startBundle, ['--env-file', brokenEnvFile(), '--port', String(await freePort())]);
    expect(code).toBe(1);
    expect(output).toMatch(/^npm start refused: /m);
    expect(output).not.toContain('SANDBOX MODE');
    expectOneLinePerProblem(output);
  });

  it('npm run build and npm start warn of a guessable API_TOKEN (32 × "a"), which every deploy refuses, without printing it', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'env-check-')), '.env');
    // A broken MAX_SEGMENTS stops both before they build or serve: the warning comes first.
    writeFileSync(file, `API_TOKEN=${'a'.repeat(32)}\nMAX_SEGMENTS=ten\n`);
    for (const [script, args] of [
      ['scripts/build.ts', ['--env-file', file]],
      [startBundle, ['--env-file', file, '--port', String(await freePort())]],
    ] as const) {
      const { output } = await run(script, [...args]);
      expect(output).toMatch(
        /^warning: .*\.env: API_TOKEN: has too little entropy \(about 0 bits.*Fix: generate one.*\(a deploy refuses it\.\)$/m,
      );
      expect(output).not.toContain('a'.repeat(32));
    }
  });
});
