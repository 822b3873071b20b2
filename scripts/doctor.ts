// npm run doctor [-- <service URL>] [--env-file <path>]: read-only checks of the account in the env
// file (the sandbox or real Twilio): credentials, the number's webhooks, the Messaging Service,
// the Verify service, Sync, geo permissions and <Pay>. Exit code 0 when nothing is wrong, 1 otherwise.
import path from 'node:path';
import { flag } from '../local/cli-args';
import { formatFindings, runDoctor } from '../local/doctor';
import { shown } from '../local/env-check';
import { ENV_FILE, readEnvFile } from '../local/env-file';
import { clientFor } from '../local/env-sandbox';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const envFile = path.resolve(flag(argv, 'env-file') ?? ENV_FILE);
  const baseUrl = argv.find((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--env-file');
  const env = readEnvFile(envFile);
  if (!env.ACCOUNT_SID) throw new Error(`${shown(envFile)} has no ACCOUNT_SID`);
  const client = clientFor(env);
  const service = baseUrl ?? env.PUBLIC_BASE_URL;
  console.log(
    `npm run doctor: ${env.TWILIO_SANDBOX_URL ? `the sandbox at ${env.TWILIO_SANDBOX_URL}` : 'real Twilio'}, account ${env.ACCOUNT_SID}, ${service ? `service at ${service}` : 'no service URL given (webhooks checked by route only)'}\n`,
  );
  // A Standard API key may not read the Account resource (the <Pay> check): that one read uses the Auth Token.
  const accountClient = env.API_KEY && env.AUTH_TOKEN ? clientFor({ ...env, API_KEY: '', API_SECRET: '' }) : undefined;
  const findings = await runDoctor({ env, client, accountClient, baseUrl: service });
  console.log(formatFindings(findings));
  const problems = findings.filter((finding) => finding.level === 'problem').length;
  const warnings = findings.filter((finding) => finding.level === 'warning').length;
  console.log(`\n${problems} problem${problems === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  process.exit(problems > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(`npm run doctor failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
