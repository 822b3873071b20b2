import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENV_EXAMPLE_FILE } from '../../local/env-file';
import { ROOT_DIR } from '../../local/layout';
import { freePort } from '../support/free-port';
import { listeningPorts } from '../support/listening-sockets';
import { bundledScript, removeBundle } from '../support/script-bundle';

function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

describe('npm start (scripts/start.ts)', () => {
  // The start that serves runs through ts-node, as `npm start` does; the refusal from a bundle (node starts it in 0.5 s).
  let bundle: string;
  beforeAll(async () => {
    bundle = await bundledScript('start');
  });
  afterAll(() => removeBundle(bundle));

  it('starts the Functions and the sandbox, says no real message leaves, and stops cleanly', async () => {
    const [functionsPort, sandboxPort] = [await freePort(), await freePort()];
    const envFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'start-')), '.env');
    const example = readFileSync(ENV_EXAMPLE_FILE, 'utf8').replace(
      /^TWILIO_SANDBOX_URL=.*$/m,
      `TWILIO_SANDBOX_URL=http://localhost:${sandboxPort}`,
    );
    writeFileSync(envFile, example.replace(/^API_TOKEN=.*$/m, `API_TOKEN=${'t'.repeat(40)}`));

    const child = spawn(
      path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node'),
      ['scripts/start.ts', '--port', String(functionsPort), '--env-file', envFile],
      {
        cwd: ROOT_DIR,
        env: { ...process.env, CI: 'true' },
      },
    );
    try {
      const banner = await waitForOutput(child, /SANDBOX MODE/);
      expect(banner).toContain(`http://localhost:${functionsPort}`);
      expect(banner).toContain(`http://localhost:${sandboxPort}`);
      expect(banner).toMatch(/no real message or call leaves this machine/);
      expect(banner).not.toContain('t'.repeat(40));

      expect(banner).toContain(`As Twilio  HTTP_PROXY=http://localhost:${sandboxPort} NODE_EXTRA_CA_CERTS=.sandbox/ca.pem`);
      // Two ports, no third: the Functions' (the edge, in-process) and the sandbox's (also the proxy).
      expect(listeningPorts(child.pid)).toEqual([functionsPort, sandboxPort].sort((a, b) => a - b));

      const health = await fetch(`http://localhost:${functionsPort}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', sandbox: true });
      const sandbox = await fetch(`http://localhost:${sandboxPort}/api/2010-04-01/Accounts.json`);
      expect(sandbox.status).toBe(401);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a taken port with a clear message instead of prompting', async () => {
    const port = await freePort();
    const envFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'start-')), '.env');
    writeFileSync(envFile, `ACCOUNT_SID=AC${'0'.repeat(32)}\nAUTH_TOKEN=${'x'.repeat(32)}\n`);
    const blocker = (await import('node:http')).createServer().listen(port, '127.0.0.1');
    try {
      const child = spawn(process.execPath, [bundle, '--port', String(port), '--env-file', envFile], { cwd: ROOT_DIR });
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(output).toMatch(new RegExp(`Port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });
});
