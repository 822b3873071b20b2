// npm run deploy: build, refuse sandbox settings, then `twilio-run deploy` with .env.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { deployRefusals } from '../local/deploy-guard';
import { brokenSettingsReport } from '../local/env-check';
import { ENV_FILE, readEnvFile, sandboxDefaults } from '../local/env-file';
import { ROOT_DIR } from '../local/layout';

if (!existsSync(ENV_FILE)) {
  console.error('npm run deploy refused: there is no .env. Copy .env.example to .env and put your real credentials in it.');
  process.exit(1);
}
const env = readEnvFile(ENV_FILE);
const report = brokenSettingsReport(env, ENV_FILE);
if (report) {
  console.error(`npm run deploy refused: ${report}`);
  process.exit(1);
}
const refusals = deployRefusals(env, sandboxDefaults());
if (refusals.length > 0) {
  console.error(['npm run deploy refused: .env is not ready for a real Twilio account.', ...refusals.map((r) => `  - ${r}`)].join('\n'));
  process.exit(1);
}

const run = (command: string, args: string[]) =>
  spawnSync(command, args, { cwd: ROOT_DIR, stdio: 'inherit' }).status ?? 1;

const credentials = env.AUTH_TOKEN ? [] : ['--username', env.API_KEY ?? '', '--password', env.API_SECRET ?? ''];
const twilioRun = path.join(ROOT_DIR, 'node_modules', '.bin', 'twilio-run');
const status =
  run('npm', ['run', 'build']) || run(twilioRun, ['deploy', '--env', ENV_FILE, ...credentials, ...process.argv.slice(2)]);
process.exit(status);
