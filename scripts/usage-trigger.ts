// npm run usage-trigger -- --daily <USD> [<service URL>] [--env-file <path>]: creates a Twilio Usage
// Trigger that calls this service's POST /usage/trigger (the kill switch) when the account's spend
// today reaches <USD>; does nothing when an identical one exists. The service URL defaults to
// PUBLIC_BASE_URL.
import path from 'node:path';
import { flag } from '../local/cli-args';
import { shown } from '../local/env-check';
import { ENV_FILE, readEnvFile } from '../local/env-file';
import { clientFor } from '../local/env-sandbox';
import { describeTrigger, ensureDailySpendTrigger, readUsd } from '../local/usage-triggers';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const envFile = path.resolve(flag(argv, 'env-file') ?? ENV_FILE);
  const dailyUsd = readUsd(flag(argv, 'daily'));
  const env = readEnvFile(envFile);
  if (!env.ACCOUNT_SID) throw new Error(`${shown(envFile)} has no ACCOUNT_SID`);
  const baseUrl = argv.find((arg, i) => !arg.startsWith('--') && !['--env-file', '--daily'].includes(argv[i - 1])) ?? env.PUBLIC_BASE_URL;
  if (!baseUrl)
    throw new Error('no service URL: pass it (npm run usage-trigger -- --daily 20 https://<service>.twil.io) or set PUBLIC_BASE_URL');
  const { created, trigger } = await ensureDailySpendTrigger(clientFor(env), { baseUrl, dailyUsd });
  console.log(`${created ? 'created' : 'already there'}: ${describeTrigger(trigger)}`);
}

main().catch((error: unknown) => {
  console.error(`npm run usage-trigger failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
