import path from 'node:path';
import { ROOT_DIR } from '../../local/layout';
import { runCommand } from '../support/run-command';

/** A process like npm start's: the local Functions in-process, with (or without) the stray-error handlers. */
const SCRIPT = `
const { startLocalFunctions } = require('./local/functions-server');
const { keepServingThroughStrayErrors } = require('./local/stray-errors');
(async () => {
  if (process.argv[1] === 'keep') keepServingThroughStrayErrors();
  const server = await startLocalFunctions({ port: 0, env: {}, functionsFolder: 'test/fixtures/functions' });
  const first = await fetch(server.url + '/throws-later');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await fetch(server.url + '/open');
  console.log('after: ' + after.status + ', first: ' + first.status);
  await server.close();
})();
`;

function run(mode: 'keep' | 'bare'): Promise<{ code: number | null; output: string }> {
  return runCommand(path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node'), ['-e', SCRIPT, mode]);
}

describe('keepServingThroughStrayErrors (npm start and npm run dev)', () => {
  it('a Function that throws outside its request is logged, and the process keeps serving', async () => {
    const kept = await run('keep');
    expect(kept.output).toContain('after: 200, first: 200');
    expect(kept.output).toMatch(/A Function threw outside its request \(uncaught exception\): Error: thrown from a timer\./);
    expect(kept.output).toMatch(/A Function threw outside its request \(unhandled rejection\): Error: a promise nobody awaits\./);
    expect(kept.code).toBe(0);
  }, 30_000);

  it('without it, the same Function ends the process (what npm start did before)', async () => {
    const bare = await run('bare');
    expect(bare.output).not.toContain('after: 200');
    expect(bare.code).not.toBe(0);
  }, 30_000);
});
