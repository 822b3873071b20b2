// npm run bench: every bench/*.bench.ts in turn. Each prints figures measured side by side in one
// run, as ratios, so they mean something on any machine.
import { readdirSync } from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  const benches = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  for (const file of benches) {
    const bench = require(path.join(__dirname, file)) as { run(): Promise<void> };
    await bench.run();
    console.log('');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
