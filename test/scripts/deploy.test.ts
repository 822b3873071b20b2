import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../local/layout';
import { redactTwilioRunPasswords, secretFlagIn } from '../../local/twilio-run-deploy';
import { bundledScript, removeBundle } from '../support/script-bundle';
import { runCommand } from '../support/run-command';

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const API_KEY = `SK${'b2'.repeat(16)}`;
/** Made once with crypto.randomBytes, written down. */
const API_SECRET = 'XBy2S6ViQH7Ph75imXWPM7-K800hJ-rK';
const AUTH_TOKEN = '05'.repeat(16);
const API_TOKEN = 'rYFqXd32xUDeA2fXH4biUEEMwyvHxz8voHscofi0UzE';

let bundle: string;
beforeAll(async () => {
  bundle = await bundledScript('deploy');
});
afterAll(() => removeBundle(bundle));

/** Runs scripts/deploy.ts: bundled (node starts it in 0.5 s), or through ts-node as `npm run deploy` does. */
function deploy(
  env: Record<string, string>,
  args: string[],
  via: 'bundle' | 'ts-node' = 'bundle',
): Promise<{ code: number | null; output: string }> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'deploy-')), '.env.deploy');
  writeFileSync(
    file,
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
  );
  const [command, script] =
    via === 'ts-node' ? [path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node'), 'scripts/deploy.ts'] : [process.execPath, bundle];
  return runCommand(command, [script, '--env-file', file, ...args]);
}

describe('npm run deploy: credentials as Twilio recommends', () => {
  it("deploys with the API key, in memory: twilio-run's own config resolution shows the key, never a secret", async () => {
    const { code, output } = await deploy({ ACCOUNT_SID, API_KEY, API_SECRET, API_TOKEN }, ['--dry-run'], 'ts-node');
    expect(code).toBe(0);
    expect(output).toMatch(/credentials\s+API key SKb2b2/);
    expect(output).toMatch(/variables\s+API_KEY, API_SECRET, API_TOKEN$/m);
    for (const secret of [API_SECRET, API_TOKEN, API_SECRET.slice(0, 4)]) expect(output).not.toContain(secret);
  }, 30_000);

  it('refuses the Auth Token alone, saying why; --allow-auth-token deploys with it, with a warning', async () => {
    const refused = await deploy({ ACCOUNT_SID, AUTH_TOKEN, API_TOKEN }, ['--dry-run']);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/^ {2}API_KEY, API_SECRET: are missing\. Twilio recommends API keys in production/m);
    const allowed = await deploy({ ACCOUNT_SID, AUTH_TOKEN, API_TOKEN }, ['--dry-run', '--allow-auth-token']);
    expect(allowed.code).toBe(0);
    expect(allowed.output).toMatch(/^warning: deploying with the Auth Token/m);
    expect(allowed.output).toMatch(/credentials\s+Auth Token \(from the env file/);
    expect(allowed.output).not.toContain(AUTH_TOKEN);
  }, 30_000);

  it('refuses a credential on the command line', async () => {
    const { code, output } = await deploy({ ACCOUNT_SID, API_KEY, API_SECRET, API_TOKEN }, ['--password', 'x', '--dry-run']);
    expect(code).toBe(1);
    expect(output).toMatch(/--password would put a credential on the command line/);
    expect(secretFlagIn(['--username=SK1'])).toBe('--username=SK1');
    expect(secretFlagIn(['--environment', 'prod'])).toBeUndefined();
  }, 30_000);

  it("twilio-run's terminal printer shows no character of the password once redacted", () => {
    redactTwilioRunPasswords();
    const { redactPartOfString } = require('twilio-run/dist/printers/utils') as { redactPartOfString: (input: string) => string };
    expect(redactPartOfString(API_SECRET)).toMatch(/^\*+$/);
  });
});
