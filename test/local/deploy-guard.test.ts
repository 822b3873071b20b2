import { deployRefusals } from '../../local/deploy-guard';
import { ENV_EXAMPLE_FILE, readEnvFile, sandboxDefaults } from '../../local/env-file';

const real = {
  ACCOUNT_SID: 'AC' + 'a1'.repeat(16),
  AUTH_TOKEN: 'f'.repeat(32),
  API_TOKEN: 'k'.repeat(43),
};

describe('deployRefusals', () => {
  it('refuses the sandbox defaults from .env.example, saying why', () => {
    const example = { ...readEnvFile(ENV_EXAMPLE_FILE), API_TOKEN: 'k'.repeat(43) };
    const refusals = deployRefusals(example, sandboxDefaults());
    expect(refusals).toEqual([
      expect.stringContaining('TWILIO_SANDBOX_URL'),
      expect.stringContaining('ACCOUNT_SID'),
      expect.stringContaining('AUTH_TOKEN'),
    ]);
  });

  it('refuses sandbox credentials even without the sandbox URL', () => {
    expect(deployRefusals({ ...real, ACCOUNT_SID: sandboxDefaults().accountSid ?? '' }, sandboxDefaults())).toHaveLength(1);
    expect(deployRefusals({ ...real, AUTH_TOKEN: sandboxDefaults().authToken ?? '' }, sandboxDefaults())).toHaveLength(1);
  });

  it('refuses a missing or short API token', () => {
    expect(deployRefusals({ ...real, API_TOKEN: 'short' }, sandboxDefaults())).toEqual([expect.stringContaining('API_TOKEN')]);
  });

  it('accepts real credentials, or an API key instead of the auth token', () => {
    expect(deployRefusals(real, sandboxDefaults())).toEqual([]);
    const withKey = { ACCOUNT_SID: real.ACCOUNT_SID, API_KEY: 'SK' + 'b2'.repeat(16), API_SECRET: 's'.repeat(32), API_TOKEN: real.API_TOKEN };
    expect(deployRefusals(withKey, sandboxDefaults())).toEqual([]);
  });
});
