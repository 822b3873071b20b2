import { readFileSync } from 'node:fs';
import { deployEnvFrom, deployRefusals, LOCAL_ONLY } from '../../local/deploy-guard';
import { ENV_EXAMPLE_FILE, readEnvFile } from '../../local/env-file';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../src/lib/config/schema';

const real = {
  ACCOUNT_SID: 'AC' + 'a1'.repeat(16),
  AUTH_TOKEN: 'f'.repeat(32),
  API_TOKEN: 'k'.repeat(43),
};

describe('deployRefusals', () => {
  it('refuses the sandbox defaults from .env.example, one line per variable with its fix', () => {
    const example = { ...readEnvFile(ENV_EXAMPLE_FILE), API_TOKEN: 'k'.repeat(43) };
    expect(deployRefusals(example)).toEqual([
      expect.stringMatching(/^TWILIO_SANDBOX_URL: is local only: .*\. Fix: remove it from the env file you deploy/),
      expect.stringMatching(/^ACCOUNT_SID: is the local sandbox's test value.*\. Fix: copy the Account SID/),
      expect.stringMatching(/^AUTH_TOKEN: is the local sandbox's test value.*\. Fix: copy the Auth Token/),
    ]);
  });

  it('refuses sandbox credentials even without the sandbox URL, and never prints a secret', () => {
    expect(deployRefusals({ ...real, ACCOUNT_SID: SANDBOX_ACCOUNT_SID })).toEqual([expect.stringMatching(/^ACCOUNT_SID: /)]);
    expect(deployRefusals({ ...real, AUTH_TOKEN: SANDBOX_AUTH_TOKEN })).toEqual([expect.stringMatching(/^AUTH_TOKEN: /)]);
    expect(deployRefusals({ ...real, AUTH_TOKEN: SANDBOX_AUTH_TOKEN }).join('\n')).not.toContain(SANDBOX_AUTH_TOKEN);
  });

  it('refuses a missing or broken API token, and any broken value', () => {
    expect(deployRefusals({ ...real, API_TOKEN: '' })).toEqual([expect.stringMatching(/^API_TOKEN: is missing/)]);
    expect(deployRefusals({ ...real, API_TOKEN: 'short' })).toEqual([expect.stringMatching(/^API_TOKEN: must be at least 32 characters/)]);
    expect(deployRefusals({ ...real, MAX_SEGMENTS: 'ten' })).toEqual([expect.stringMatching(/^MAX_SEGMENTS: must be a whole number/)]);
  });

  it('accepts real credentials, or an API key instead of the auth token', () => {
    expect(deployRefusals(real)).toEqual([]);
    const withKey = { ACCOUNT_SID: real.ACCOUNT_SID, API_KEY: 'SK' + 'b2'.repeat(16), API_SECRET: 's'.repeat(32), API_TOKEN: real.API_TOKEN };
    expect(deployRefusals(withKey)).toEqual([]);
  });
});

describe('deployEnvFrom (.env.deploy made from .env)', () => {
  it('keeps every line but the local-only variables', () => {
    expect(LOCAL_ONLY).toEqual(['TWILIO_SANDBOX_URL']);
    const local = readFileSync(ENV_EXAMPLE_FILE, 'utf8');
    const deploy = deployEnvFrom(local);
    expect(deploy).not.toMatch(/^TWILIO_SANDBOX_URL=/m);
    const names = (text: string) => [...text.matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect(names(deploy)).toEqual(names(local).filter((name) => name !== 'TWILIO_SANDBOX_URL'));
    expect(deployEnvFrom('export TWILIO_SANDBOX_URL=http://localhost:3001\nACCOUNT_SID=AC1\n')).toMatch(/\nACCOUNT_SID=AC1\n?$/);
  });
});
