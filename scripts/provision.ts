// npm run provision: creates the Sync maps the stores use, ahead of any request, in the Sync
// service the env file names (the running sandbox, or Twilio). Idempotent; `npm start` and
// `npm run deploy` run it too. `--env-file <path>` reads another env file.
import { flag } from '../local/cli-args';
import { clientFor } from '../local/env-sandbox';
import { ENV_FILE, readEnvFile } from '../local/env-file';
import { provisionFor } from '../local/provision';

async function main(): Promise<void> {
  const env = readEnvFile(flag(process.argv, 'env-file') ?? ENV_FILE);
  try {
    console.log(await provisionFor(clientFor(env), env));
  } catch (error) {
    const hint = env.TWILIO_SANDBOX_URL ? ` Is the sandbox at ${env.TWILIO_SANDBOX_URL} running? (npm start provisions it itself.)` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}.${hint}`, { cause: error });
  }
}

main().catch((error: unknown) => {
  console.error(`npm run provision failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
