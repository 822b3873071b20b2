import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENV_EXAMPLE_FILE, ensureEnvFile, ensureSandboxVerifyService, readEnvFile } from '../../local/env-file';

describe('.env handling', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'env-'));

  it('creates .env from .env.example with a fresh, private API token and sandbox Auth Token', () => {
    const file = path.join(dir, '.env');
    expect(ensureEnvFile(file)).toBe(true);
    const env = readEnvFile(file);
    const example = readEnvFile(ENV_EXAMPLE_FILE);
    expect(env.API_TOKEN).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(env.AUTH_TOKEN).toMatch(/^[0-9a-f]{32}$/);
    expect(env.AUTH_TOKEN).not.toBe(example.AUTH_TOKEN);
    expect({ ...env, API_TOKEN: undefined, AUTH_TOKEN: undefined }).toEqual({ ...example, API_TOKEN: undefined, AUTH_TOKEN: undefined });
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readEnvFile(path.join(mkdtempSync(path.join(os.tmpdir(), 'env-')), '.env')).API_TOKEN).toBeUndefined();
  });

  it('never overwrites an existing .env', () => {
    const file = path.join(dir, 'existing.env');
    writeFileSync(file, 'API_TOKEN=mine\n');
    expect(ensureEnvFile(file)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('API_TOKEN=mine\n');
  });

  it('gives a sandbox .env a Verify service SID once, keeps one already set, and leaves a real account alone', () => {
    const file = path.join(dir, 'verify.env');
    ensureEnvFile(file);
    const sid = ensureSandboxVerifyService(file);
    expect(sid).toMatch(/^VA[0-9a-f]{32}$/);
    expect(readEnvFile(file).VERIFY_SERVICE_SID).toBe(sid);
    expect(readFileSync(file, 'utf8').match(/^VERIFY_SERVICE_SID=/gm)).toHaveLength(1);
    expect(ensureSandboxVerifyService(file)).toBeUndefined();
    expect(readEnvFile(file).VERIFY_SERVICE_SID).toBe(sid);

    const real = path.join(dir, 'real.env');
    writeFileSync(real, 'ACCOUNT_SID=AC123\n');
    expect(ensureSandboxVerifyService(real)).toBeUndefined();
    expect(readFileSync(real, 'utf8')).toBe('ACCOUNT_SID=AC123\n');
  });

  it('documents every variable it defines with a comment above its group', () => {
    const lines = readFileSync(ENV_EXAMPLE_FILE, 'utf8').split('\n');
    const isVariable = (line: string) => /^[A-Z_]+=/.test(line);
    lines.forEach((line, index) => {
      if (!isVariable(line)) return;
      let above = index - 1;
      while (above >= 0 && isVariable(lines[above])) above -= 1;
      expect(lines[above]).toMatch(/^# /);
    });
  });
});
