// npm run deploy: check the deploy env file (.env.deploy, made from .env without the local-only
// variables the first time), build, then deploy with twilio-run's own deploy command, run in this
// process with the credentials in memory (an API key, as Twilio recommends; the Auth Token only
// with --allow-auth-token). Extra arguments go to twilio-run; `--env-file <path>` deploys another
// file; `--dry-run` shows what would be deployed and uploads nothing; `--sandbox` deploys to the
// running sandbox (npm start) with .env's sandbox account, and prints the domain.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { flag } from '../local/cli-args';
import { DEPLOY_ENV_FILE, LOCAL_ONLY, WHY_API_KEY, deployEnvFrom, deployRefusals } from '../local/deploy-guard';
import { readDeployEnvFile } from '../local/deploy-env-file';
import { shown } from '../local/env-check';
import { ENV_FILE, readEnvFile } from '../local/env-file';
import { clientFor } from '../local/env-sandbox';
import { provisionFor } from '../local/provision';
import { ROOT_DIR } from '../local/layout';
import { deployedDomain, deployToSandbox, sandboxDeployRefusal } from '../local/sandbox-deploy';
import { deployCredentials, deployPlan, deployWithTwilioRun, secretFlagIn } from '../local/twilio-run-deploy';

const OUR_FLAGS = ['--env-file', '--allow-auth-token', '--dry-run', '--sandbox'];

const refuse = (lines: string[]): never => {
  console.error(['npm run deploy refused:', ...lines].join('\n'));
  process.exit(1);
};

/** Deploy to the sandbox: build, twilio-run through the sandbox's proxy, then the domain to bind. */
async function deploySandbox(envFile: string, passThrough: string[]): Promise<void> {
  const env = readEnvFile(envFile);
  const refusal = await sandboxDeployRefusal(env);
  if (refusal) refuse([`  ${refusal}`]);
  const built = spawnSync('npm', ['run', 'build', '--', '--env-file', envFile], { cwd: ROOT_DIR, stdio: 'inherit' }).status;
  if (built !== 0) process.exit(built ?? 1);
  const code = await deployToSandbox({ envFile, env, args: passThrough });
  if (code !== 0) process.exit(code);
  const environment = passThrough.includes('--production') ? '' : (flag(passThrough, 'environment') ?? 'dev');
  const domain = await deployedDomain(clientFor(env), environment);
  console.log(
    domain
      ? `\nDeployed to the sandbox: https://${domain}\nPoint the number at it: npm run bind -- https://${domain}`
      : "\nDeployed to the sandbox; the domain was not found (see twilio-run's output above).",
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const passThrough = argv.filter(
    (arg, i) => !OUR_FLAGS.some((ours) => arg === ours || arg.startsWith(`${ours}=`)) && argv[i - 1] !== '--env-file',
  );
  const secretFlag = secretFlagIn(passThrough);
  // To the sandbox: the local .env (its test account), no API key needed.
  if (argv.includes('--sandbox') && !secretFlag) return deploySandbox(path.resolve(flag(argv, 'env-file') ?? ENV_FILE), passThrough);
  const envFile = path.resolve(flag(argv, 'env-file') ?? DEPLOY_ENV_FILE);
  const allowAuthToken = argv.includes('--allow-auth-token');
  const dryRun = argv.includes('--dry-run');
  if (secretFlag)
    refuse([
      `  ${secretFlag} would put a credential on the command line, where any user of this machine can read it (ps). Put it in ${shown(envFile)} instead.`,
    ]);

  if (!existsSync(envFile)) {
    if (envFile !== DEPLOY_ENV_FILE) refuse([`  ${shown(envFile)} does not exist.`]);
    if (!existsSync(ENV_FILE))
      refuse([
        '  there is no .env.deploy and no .env to make it from. Copy .env.example to .env.deploy and put your real credentials in it.',
      ]);
    writeFileSync(envFile, deployEnvFrom(readFileSync(ENV_FILE, 'utf8')), { mode: 0o600 });
    console.log(`Created ${shown(envFile)} from .env without ${LOCAL_ONLY.join(', ')}: deploys upload this file, never .env.`);
  }

  // Read as twilio-run reads it (its own dotenv), so the guard checks what is uploaded.
  const { env, refusals: unreadable } = readDeployEnvFile(envFile);
  const refusals = [...unreadable, ...deployRefusals(env, { allowAuthToken })];
  if (refusals.length > 0) refuse([`${shown(envFile)} is not ready for a real Twilio account:`, ...refusals.map((line) => `  ${line}`)]);
  if (deployCredentials(env).kind === 'Auth Token')
    console.warn(`warning: deploying with the Auth Token (--allow-auth-token). ${WHY_API_KEY}`);

  if (dryRun) {
    console.log(
      [
        'Dry run: nothing is built or uploaded. twilio-run would deploy:',
        ...(await deployPlan(envFile, passThrough, env)).map((line) => `  ${line}`),
      ].join('\n'),
    );
    return;
  }
  // The build checks the same file; twilio-run's config hook need not check again.
  process.env.TWILIO_COMMS_PREFLIGHT = 'done';
  const built = spawnSync('npm', ['run', 'build', '--', '--env-file', envFile], { cwd: ROOT_DIR, stdio: 'inherit' }).status;
  if (built !== 0) process.exit(built ?? 1);
  // The Sync maps the stores use exist before the new Functions take traffic (npm run provision).
  console.log(await provisionFor(clientFor(env), env));
  await deployWithTwilioRun(envFile, passThrough, env);
}

main().catch((error: unknown) => {
  console.error(`npm run deploy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
