// Run by dev-reload.test.ts in a process of its own (jest keeps its own module cache, which is not
// the one `npm run dev` clears): the local Functions, rebuilt, restarted, serving the new build.
// Prints one JSON line: { before, samePort, after }.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalFunctions } from '../../local/functions-server';
import { ROOT_DIR } from '../../local/layout';
import { restartFunctions } from '../../scripts/dev';
import { functionsEnv } from '../support/stack';

async function main(): Promise<void> {
  // A copy of dist/ (other tests run on the real one), under the repository as the runtime wants.
  const copy = path.join(ROOT_DIR, '.tmp', `dev-reload-${process.pid}`);
  cpSync(path.join(ROOT_DIR, 'dist'), copy, { recursive: true });
  const relative = path.relative(ROOT_DIR, copy);
  const start = (port: number) =>
    startLocalFunctions({
      port,
      env: functionsEnv({ url: 'http://127.0.0.1:9', verifyServiceSid: `VA${'0'.repeat(32)}` }),
      functionsFolder: `${relative}/functions`,
      assetsFolder: `${relative}/assets`,
    });
  let functions = await start(0);
  try {
    const before = (await fetch(`${functions.url}/health`)).status;
    writeFileSync(
      path.join(copy, 'functions', 'health.js'),
      'exports.handler = (context, event, callback) => callback(null, { rebuilt: true });\n',
    );
    const port = functions.port;
    functions = await restartFunctions(functions, start, copy);
    const after = await (await fetch(`${functions.url}/health`)).json();
    process.stdout.write(`${JSON.stringify({ before, samePort: functions.port === port, after })}\n`);
  } finally {
    await functions.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
