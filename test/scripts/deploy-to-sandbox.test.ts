/**
 * Deploy for real (#21): plain `twilio-run deploy`, unmodified, through the sandbox's proxy (the
 * way it reaches https://serverless.twilio.com), then the deployed code serving at its *.twil.io
 * domain on the sandbox's edge, its own twilio-node client reaching the sandbox as api.twilio.com.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox';
import { bindNumber } from '../../local/bind';
import { ROOT_DIR } from '../../local/layout';
import { deployedDomain, sandboxProxyEnv } from '../../local/sandbox-deploy';
import { createTwilioClient } from '../../src/lib/twilio/client';
import type { TwilioClient } from '../../src/lib/twilio/sdk';
import { httpsViaProxy } from '../support/https-via-proxy';

/** An account like a real one (not the sandbox's public test values): random per run, so twilio-run's deploy cache never meets a stale SID. */
const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const API_TOKEN = randomBytes(32).toString('base64url');
const NUMBER = '+15005550006';
const CUSTOMER = '+14155550142';

/** Runs a command to its end; its output, and its exit code. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: ROOT_DIR, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** twilio-run keeps the SIDs it deployed in .twiliodeployinfo, keyed by account: ours is removed afterwards. */
function forgetDeployInfo(accountSid: string): void {
  const file = path.join(ROOT_DIR, '.twiliodeployinfo');
  if (!existsSync(file)) return;
  const info = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const key of Object.keys(info)) if (key.startsWith(accountSid)) delete info[key];
  if (Object.keys(info).length === 0) rmSync(file);
  else writeFileSync(file, JSON.stringify(info, null, 2));
}

describe('twilio-run deploy to the sandbox, through its proxy, and the deployed code on its edge', () => {
  let sandbox: Sandbox;
  let client: TwilioClient;
  let dir: string;
  let ca: string;
  let domain: string;
  let deployOutput: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-e2e-'));
    sandbox = await startSandbox({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumbers: [NUMBER], proxy: { caDir: dir } });
    ca = readFileSync(sandbox.caPath ?? '', 'utf8');
    client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, sandboxUrl: sandbox.url });
    const envFile = path.join(dir, '.env.deploy');
    writeFileSync(
      envFile,
      [
        `ACCOUNT_SID=${ACCOUNT_SID}`,
        `AUTH_TOKEN=${AUTH_TOKEN}`,
        `API_TOKEN=${API_TOKEN}`,
        `TWILIO_PHONE_NUMBER=${NUMBER}`,
        'SYNC_SERVICE_SID=default',
        'ALLOWED_COUNTRIES=US',
      ].join('\n'),
      { mode: 0o600 },
    );
    // The checks of .twilioserverlessrc.js run for real; an Auth-Token deploy is allowed explicitly.
    const deployed = await run(
      process.execPath,
      [path.join(ROOT_DIR, 'node_modules/twilio-run/bin/twilio-run.js'), 'deploy', '--env', envFile],
      {
        ...sandboxProxyEnv(sandbox.url, sandbox.caPath),
        TWILIO_COMMS_ALLOW_AUTH_TOKEN: '1',
        TWILIO_COMMS_PREFLIGHT: '',
        CI: 'true',
      },
    );
    deployOutput = deployed.output;
    if (deployed.code !== 0) throw new Error(`twilio-run deploy failed:\n${deployed.output}`);
    domain = (await deployedDomain(client)) ?? '';
    await bindNumber(client, NUMBER, `https://${domain}`);
  }, 120_000);

  afterAll(async () => {
    forgetDeployInfo(ACCOUNT_SID);
    await sandbox?.settled();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const viaProxy = (target: string, options?: Parameters<typeof httpsViaProxy>[3]) =>
    httpsViaProxy(sandbox.url, ca, `https://${domain}${target}`, options);

  it('deploys: the preflight ran, the build declares the listed handler on node22, the domain is Twilio-shaped', async () => {
    expect(deployOutput).toMatch(/preflight: dist\/ matches the sources/);
    expect(domain).toMatch(/^twilio-comms-\d{4}-dev\.twil\.io$/);
    const [service] = await client.serverless.v1.services.list();
    const [build] = await client.serverless.v1.services(service.sid).builds.list();
    expect(build.runtime).toBe('node22');
    expect(build.dependencies).toContainEqual({ name: '@twilio/runtime-handler', version: '2.0.1' });
    // The Variables are the file's minus the two the runtime provides itself.
    const [environment] = await client.serverless.v1.services(service.sid).environments.list();
    const variables = await client.serverless.v1.services(service.sid).environments(environment.sid).variables.list();
    expect(variables.map((variable) => variable.key).sort()).toEqual([
      'ALLOWED_COUNTRIES',
      'API_TOKEN',
      'SYNC_SERVICE_SID',
      'TWILIO_PHONE_NUMBER',
    ]);
  });

  it('the phone texts STOP: the deployed code records it, and a send to that number through the domain answers 409', async () => {
    const texted = await fetch(`${sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: CUSTOMER, to: NUMBER, body: 'STOP' }),
    });
    const result = (await texted.json()) as { webhook: { url: string; status: number } };
    expect(result.webhook).toMatchObject({ url: `https://${domain}/sms/incoming`, status: 200 });
    // Recorded by the deployed code, in the sandbox's Sync (reached through the proxy), as a keyword opt-out.
    const consent = await viaProxy(`/consent?number=${encodeURIComponent(CUSTOMER)}`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(JSON.parse(consent.body)).toMatchObject({ channels: { sms: { optedOut: true, source: 'keyword' } } });

    const send = await viaProxy('/sms/send', {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: CUSTOMER, body: 'Your order shipped' }),
    });
    expect([send.status, JSON.parse(send.body)]).toEqual([409, { error: expect.objectContaining({ code: 'opted_out' }) }]);
    // Nothing went out to that number but the opt-out confirmation Twilio itself would answer.
    const toCustomer = await client.messages.list({ to: CUSTOMER });
    expect(toCustomer.filter((message) => !/unsubscribed/i.test(message.body))).toEqual([]);
  }, 60_000);

  it("the edge's rules: an unsigned webhook answers 401, the private asset is not served, /health is", async () => {
    const unsigned = await viaProxy('/sms/incoming', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: CUSTOMER, To: NUMBER, Body: 'START' }).toString(),
    });
    expect(unsigned.status).toBe(401);
    expect((await viaProxy('/comms.js')).status).toBe(404);
    const health = await viaProxy('/health');
    expect([health.status, JSON.parse(health.body)]).toEqual([200, expect.objectContaining({ status: 'ok', sandbox: false })]);
  }, 60_000);
});
