import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deployEnvFrom } from '../../local/deploy-guard';
import { ENV_EXAMPLE_FILE } from '../../local/env-file';
import { ROOT_DIR } from '../../local/layout';
import { BROKEN_VALUES } from '../lib/config/broken-values';
import { freePort } from '../support/free-port';
import { TEST_ACCOUNT_SID, TEST_API_TOKEN, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER, stack } from '../support/stack';
import { eventually } from '../support/wait';

const bin = (name: string) => path.join(ROOT_DIR, 'node_modules', '.bin', name);

function start(command: string, args: string[]) {
  const child = spawn(command, args, { cwd: ROOT_DIR, env: { ...process.env, CI: 'true', TWILIO_COMMS_PREFLIGHT: '' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => output };
}

const tempFile = (name: string, text: string) => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cli-')), name);
  writeFileSync(file, text);
  return file;
};

describe('every deploy path checks before it uploads', () => {
  it('`twilio-run deploy --env .env` (the engine of `twilio serverless:deploy`) refuses the sandbox settings before any upload', async () => {
    const envFile = tempFile('.env', readFileSync(ENV_EXAMPLE_FILE, 'utf8').replace(/^API_TOKEN=.*$/m, `API_TOKEN=${TEST_API_TOKEN}`));
    const run = start(bin('twilio-run'), ['deploy', '--env', envFile]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('twilio-run deploy refused (checked by .twilioserverlessrc.js before any upload):');
    expect(run.output()).toMatch(/^ {2}TWILIO_SANDBOX_URL: is local only/m);
    expect(run.output()).toMatch(/^ {2}ACCOUNT_SID: is the local sandbox's test value/m);
    expect(run.output()).not.toContain('Deploying');
  }, 30_000);

  it('the CLI path deploys .env.deploy, and what twilio-run would upload from it holds no sandbox variable', async () => {
    // twilio-run's own readers, as `twilio-run deploy` and `twilio serverless:deploy` call them.
    const { readSpecializedConfig } = require('twilio-run/dist/config/global') as {
      readSpecializedConfig: (cwd: string, file: undefined, command: string, opts: object) => Record<string, unknown>;
    };
    const config = readSpecializedConfig(ROOT_DIR, undefined, 'deploy', {});
    expect(config).toMatchObject({ env: '.env.deploy', functionsFolder: 'dist/functions', assetsFolder: 'dist/assets', runtime: 'node22' });
    type EnvReaders = {
      readLocalEnvFile: (flags: { cwd: string; env: string }) => Promise<{ localEnv: Record<string, string> }>;
      filterEnvVariablesForDeploy: (env: Record<string, string>) => Record<string, string>;
    };
    const { readLocalEnvFile, filterEnvVariablesForDeploy } = require('twilio-run/dist/config/utils/env') as EnvReaders;
    const project = path.dirname(tempFile('.env.deploy', deployEnvFrom(readFileSync(ENV_EXAMPLE_FILE, 'utf8'))));
    const uploaded = filterEnvVariablesForDeploy((await readLocalEnvFile({ cwd: project, env: config.env as string })).localEnv);
    expect(Object.keys(uploaded)).not.toContain('TWILIO_SANDBOX_URL');
    expect(Object.keys(uploaded)).not.toContain('AUTH_TOKEN');
    expect(Object.keys(uploaded)).toContain('TWILIO_PHONE_NUMBER');
  });

  it('npm run deploy refuses every broken value, one line each, before building', async () => {
    const envFile = tempFile(
      '.env.deploy',
      Object.entries(BROKEN_VALUES)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    );
    const run = start(bin('ts-node'), ['scripts/deploy.ts', '--env-file', envFile]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/^npm run deploy refused:/);
    for (const name of Object.keys(BROKEN_VALUES)) expect(run.output()).toMatch(new RegExp(`^ {2}${name}: .+\\. Fix: .+\\.$`, 'm'));
    for (const value of Object.values(BROKEN_VALUES).filter((value) => value.length >= 8)) expect(run.output()).not.toContain(value);
    expect(run.output()).not.toContain('built dist/');
  }, 30_000);
});

describe('`twilio-run start` (and `twilio serverless:start`) against the sandbox', () => {
  it('prints the caveat (no signature checks locally), then serves the built Functions talking to the sandbox', async () => {
    const port = await freePort();
    const envFile = tempFile(
      '.env',
      [
        `TWILIO_SANDBOX_URL=${stack().sandboxUrl}`,
        `ACCOUNT_SID=${TEST_ACCOUNT_SID}`,
        `AUTH_TOKEN=${TEST_AUTH_TOKEN}`,
        `API_TOKEN=${TEST_API_TOKEN}`,
        `TWILIO_PHONE_NUMBER=${TEST_PHONE_NUMBER}`,
      ].join('\n'),
    );
    const run = start(bin('twilio-run'), ['start', '--port', String(port), '--env', envFile]);
    try {
      const health = await eventually(
        () =>
          fetch(`http://localhost:${port}/health`).then(
            (response) => response.json(),
            () => undefined,
          ),
        (body) => body !== undefined,
        25_000,
      );
      expect(health).toMatchObject({ status: 'ok', sandbox: true });
      expect(run.output()).toContain('No signature checks locally in this mode');
      expect(run.output()).toContain(`Sandbox: ${stack().sandboxUrl} answers`);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  }, 40_000);
});
