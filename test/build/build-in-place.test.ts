import { existsSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS_DIR, ROOT_DIR, SHARED_ASSET_FILE } from '../../local/layout';
import { runCommand } from '../support/run-command';

// Servers run from dist/ (npm start, the other test workers) while a build runs (npm run deploy
// builds first): a build that emptied dist/ first made a Function vanish under a running server
// (seen as a 404 in a parallel test run). The build moves its files over dist/ one by one.
it('npm run build never leaves a Function or the shared asset missing while it runs', async () => {
  const watched = [path.join(FUNCTIONS_DIR, 'health.js'), path.join(FUNCTIONS_DIR, 'sms', 'send.js'), SHARED_ASSET_FILE];
  const missing = new Set<string>();
  let building = true;
  const watch = (async () => {
    while (building) {
      for (const file of watched) if (!existsSync(file)) missing.add(path.relative(ROOT_DIR, file));
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const build = await runCommand(path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node'), ['scripts/build.ts']);
  building = false;
  await watch;
  expect(build.code).toBe(0);
  expect([...missing]).toEqual([]);
  for (const file of watched) expect(existsSync(file)).toBe(true);
}, 60_000);
