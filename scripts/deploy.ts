// npm run deploy: check the deploy env file (.env.deploy, made from .env without the local-only
// variables the first time), build, then `twilio-run deploy` with that file. Extra arguments go
// to twilio-run; `--env-file <path>` deploys another env file.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { flag } from '../local/cli-args';
import { DEPLOY_ENV_FILE, LOCAL_ONLY, deployEnvFrom, deployRefusals } from '../local/deploy-guard';
import { shown } from '../local/env-check';
import { ENV_FILE, readEnvFile } from '../local/env-file';
import { ROOT_DIR } from '../local/layout';

const refuse = (lines: string[]): never => {
  console.error(['npm run deploy refused:', ...lines].join('\n'));
  process.exit(1);
};

const argv = process.argv.slice(2);
const envFile = path.resolve(flag(argv, 'env-file') ?? DEPLOY_ENV_FILE);
const passThrough = argv.filter((arg, i) => !(arg === '--env-file' || arg.startsWith('--env-file=') || argv[i - 1] === '--env-file'));

if (!existsSync(envFile)) {
  if (envFile !== DEPLOY_ENV_FILE) refuse([`  ${shown(envFile)} does not exist.`]);
  if (!existsSync(ENV_FILE)) refuse(['  there is no .env.deploy and no .env to make it from. Copy .env.example to .env.deploy and put your real credentials in it.']);
  writeFileSync(envFile, deployEnvFrom(readFileSync(ENV_FILE, 'utf8')), { mode: 0o600 });
  console.log(`Created ${shown(envFile)} from .env without ${LOCAL_ONLY.join(', ')}: deploys upload this file, never .env.`);
}

const refusals = deployRefusals(readEnvFile(envFile));
if (refusals.length > 0) refuse([`${shown(envFile)} is not ready for a real Twilio account:`, ...refusals.map((line) => `  ${line}`)]);

const env = readEnvFile(envFile);
const run = (command: string, args: string[]) =>
  spawnSync(command, args, { cwd: ROOT_DIR, stdio: 'inherit', env: { ...process.env, TWILIO_COMMS_PREFLIGHT: 'done' } }).status ?? 1;

const credentials = env.AUTH_TOKEN ? [] : ['--username', env.API_KEY ?? '', '--password', env.API_SECRET ?? ''];
const twilioRun = path.join(ROOT_DIR, 'node_modules', '.bin', 'twilio-run');
const status =
  run('npm', ['run', 'build', '--', '--env-file', envFile]) || run(twilioRun, ['deploy', '--env', envFile, ...credentials, ...passThrough]);
process.exit(status);
