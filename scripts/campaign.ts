// npm run campaign -- recipients.csv --body "Hi {{name}}" | --template HX… [--var 1=name] | --resume <id>:
// a bulk SMS/WhatsApp campaign from a CSV, driven to the end with a progress bar, resumable after
// Ctrl-C or a crash (the service sends each recipient once). Contract: docs/campaigns-api.md.
import path from 'node:path';
import { ENV_FILE, readEnvFile } from '../local/env-file';
import { USAGE, parseCommand } from './campaign/args';
import { Session } from './campaign/driver';
import { CliError, EXIT, errorMessage } from './campaign/errors';
import { STATE_DIR } from './campaign/state';
import { StopSignal, stopOnSignals } from './campaign/stop';

async function main(): Promise<number> {
  // npm runs scripts from the package root: work where the command was typed, so a relative CSV
  // path and `.campaigns/` mean what the user sees.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const command = parseCommand(process.argv.slice(2), {
    env: process.env,
    dotenv: () => readEnvFile(ENV_FILE),
    localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
  if (command.mode === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }

  const stop = new StopSignal();
  const session = new Session({ out: process.stdout, err: process.stderr, stateDir: path.resolve(STATE_DIR), stop });
  const removeHandlers = stopOnSignals(stop, { first: () => session.stopping(), now: () => process.exit(session.quitNow()) });
  try {
    return await session.run(command);
  } finally {
    removeHandlers();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    // A bug, not bad input: one line, the stack only on request.
    process.stderr.write(`npm run campaign failed unexpectedly: ${errorMessage(error)}\n`);
    if (process.env.CAMPAIGN_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = EXIT.failed;
  },
);
