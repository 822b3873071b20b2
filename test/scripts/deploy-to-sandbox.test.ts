/**
 * Deploy for real (#21): plain `twilio-run deploy`, unmodified, through the sandbox's proxy (the
 * way it reaches https://serverless.twilio.com), then the deployed code serving at its *.twil.io
 * domain on the sandbox's edge, its own twilio-node client reaching the sandbox as api.twilio.com.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bindNumber } from '../../local/bind';
import { ROOT_DIR, SANDBOX_DATA_DIR } from '../../local/layout';
import { deployedDomain } from '../../local/sandbox-deploy';
import { startDeployTarget, type DeployTarget } from '../support/deploy-target';
import { runCommand } from '../support/run-command';
import { ensureTwilioCli } from '../support/twilio-cli';
import { match } from '../support/match';
import { eventually } from '../support/wait';
import { bundledScript, removeBundle } from '../support/script-bundle';

const CUSTOMER = '+14155550142';

describe('twilio-run deploy to the sandbox, through its proxy, and the deployed code on its edge', () => {
  let target: DeployTarget;
  let domain: string;
  let deployOutput: string;

  beforeAll(async () => {
    target = await startDeployTarget();
    const twilioRun = path.join(ROOT_DIR, 'node_modules/twilio-run/bin/twilio-run.js');
    const deployed = await runCommand(process.execPath, [twilioRun, 'deploy', '--env', target.envFile], target.proxyEnv);
    deployOutput = deployed.output;
    if (deployed.code !== 0) throw new Error(`twilio-run deploy failed:\n${deployed.output}`);
    domain = (await deployedDomain(target.client)) ?? '';
    await bindNumber(target.client, target.number, `https://${domain}`);
  }, 120_000);

  afterAll(() => target?.close());

  const viaProxy = (path: string, options?: Parameters<DeployTarget['viaProxy']>[1]) =>
    target.viaProxy(`https://${domain}${path}`, options);

  it('deploys: the preflight ran, the build declares the listed handler on node22, the domain is Twilio-shaped', async () => {
    expect(deployOutput).toMatch(/preflight: dist\/ matches the sources/);
    expect(domain).toMatch(/^twilio-comms-\d{4}-dev\.twil\.io$/);
    const [service] = await target.client.serverless.v1.services.list();
    const [build] = await target.client.serverless.v1.services(service.sid).builds.list();
    expect(build.runtime).toBe('node22');
    expect(build.dependencies).toContainEqual({ name: '@twilio/runtime-handler', version: '2.0.1' });
    // The Variables are the file's minus the two the runtime provides itself.
    const [environment] = await target.client.serverless.v1.services(service.sid).environments.list();
    const variables = await target.client.serverless.v1.services(service.sid).environments(environment.sid).variables.list();
    expect(variables.map((variable) => variable.key).sort()).toEqual([
      'ALLOWED_COUNTRIES',
      'API_TOKEN',
      'SYNC_SERVICE_SID',
      'TWILIO_PHONE_NUMBER',
    ]);
  });

  it('the phone texts STOP: the deployed code records it, and a send to that number through the domain answers 409', async () => {
    const texted = await fetch(`${target.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: CUSTOMER, to: target.number, body: 'STOP' }),
    });
    const result = (await texted.json()) as { webhook: { url: string; status: number } };
    expect(result.webhook).toMatchObject({ url: `https://${domain}/sms/incoming`, status: 200 });
    // Recorded by the deployed code, in the sandbox's Sync (reached through the proxy), as a keyword opt-out.
    const consent = await viaProxy(`/consent?number=${encodeURIComponent(CUSTOMER)}`, {
      headers: { authorization: `Bearer ${target.apiToken}` },
    });
    expect(JSON.parse(consent.body)).toMatchObject({ channels: { sms: { optedOut: true, source: 'keyword' } } });

    const send = await viaProxy('/sms/send', {
      method: 'POST',
      headers: { authorization: `Bearer ${target.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: CUSTOMER, body: 'Your order shipped' }),
    });
    expect([send.status, JSON.parse(send.body)]).toEqual([409, { error: match.objectContaining({ code: 'opted_out' }) }]);
    // Nothing went out to that number but the opt-out confirmation Twilio itself would answer.
    const toCustomer = await target.client.messages.list({ to: CUSTOMER });
    expect(toCustomer.filter((message) => !/unsubscribed/i.test(message.body))).toEqual([]);
  }, 60_000);

  it("the edge's rules: an unsigned webhook answers 403, the private asset is not served, /health is", async () => {
    const unsigned = await viaProxy('/sms/incoming', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: CUSTOMER, To: target.number, Body: 'START' }).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect((await viaProxy('/comms.js')).status).toBe(404);
    const health = await viaProxy('/health');
    expect([health.status, JSON.parse(health.body)]).toEqual([200, match.objectContaining({ status: 'ok', sandbox: false })]);
  }, 60_000);
});

describe("the design card's own path: the Twilio CLI deploys to the sandbox with the two variables", () => {
  const cli = ensureTwilioCli();
  let target: DeployTarget;
  beforeAll(async () => {
    target = await startDeployTarget();
  }, 60_000);
  afterAll(() => target?.close());

  // The CLI comes from the npm registry once per machine; offline with no copy cached, this cannot run.
  ('unavailable' in cli ? it.skip : it)(
    '`twilio serverless:deploy` (twilio-cli + @twilio-labs/plugin-serverless) deploys, and the domain serves',
    async () => {
      if ('unavailable' in cli) return;
      const { TWILIO_COMMS_ALLOW_AUTH_TOKEN, ...rest } = target.proxyEnv;
      const deployed = await runCommand(cli.bin, ['serverless:deploy', '--env', target.envFile], {
        ...rest,
        TWILIO_COMMS_ALLOW_AUTH_TOKEN,
        HOME: cli.home,
        TWILIO_ACCOUNT_SID: target.accountSid,
        TWILIO_AUTH_TOKEN: target.authToken,
      });
      if (deployed.code !== 0) throw new Error(`twilio serverless:deploy failed:\n${deployed.output}`);
      expect(deployed.output).toMatch(/preflight: dist\/ matches the sources/);
      const domain = (await deployedDomain(target.client)) ?? '';
      expect(domain).toMatch(/^twilio-comms-\d{4}-dev\.twil\.io$/);
      const health = await target.viaProxy(`https://${domain}/health`);
      expect([health.status, JSON.parse(health.body)]).toEqual([200, match.objectContaining({ status: 'ok', sandbox: false })]);
    },
    180_000,
  );

  if ('unavailable' in cli) console.warn(`Twilio CLI test skipped: ${cli.unavailable}`);
});

/** The temporary folders npm run deploy -- --sandbox keeps its env file in while twilio-run runs. */
const deployTempDirs = () => readdirSync(os.tmpdir()).filter((name) => name.startsWith('sandbox-deploy-'));

describe('npm run deploy -- --sandbox', () => {
  let target: DeployTarget;
  let bundle: string;
  beforeAll(async () => {
    // The script trusts the sandbox's CA where npm start keeps it (.sandbox/ca.pem).
    target = await startDeployTarget({ caDir: SANDBOX_DATA_DIR });
    // The deploy that succeeds runs through ts-node, as `npm run deploy` does; the others from a bundle (node starts it in 0.5 s).
    bundle = await bundledScript('deploy');
  }, 60_000);
  afterAll(async () => {
    removeBundle(bundle);
    await target?.close();
  });

  it("builds, deploys through the proxy with .env's sandbox account, and prints the domain to bind", async () => {
    const envFile = path.join(path.dirname(target.envFile), '.env');
    writeFileSync(envFile, `${readFileSync(target.envFile, 'utf8')}\nTWILIO_SANDBOX_URL=${target.sandbox.url}\n`, { mode: 0o600 });
    const { HTTP_PROXY: _proxy, NODE_EXTRA_CA_CERTS: _ca, ...env } = target.proxyEnv;
    const before = new Set(deployTempDirs());
    const run = await runCommand(
      path.join(ROOT_DIR, 'node_modules/.bin/ts-node'),
      ['scripts/deploy.ts', '--sandbox', '--env-file', envFile],
      env,
    );
    expect(run.code).toBe(0);
    const domain = (await deployedDomain(target.client)) ?? '';
    expect(run.output).toContain(`Deployed to the sandbox: https://${domain}\nPoint the number at it: npm run bind -- https://${domain}`);
    expect(run.output).not.toContain(target.authToken);
    expect(deployTempDirs().filter((dir) => !before.has(dir))).toEqual([]);
    expect((await target.viaProxy(`https://${domain}/health`)).status).toBe(200);
  }, 120_000);

  it('removes its temporary env file (the secrets of .env) even when stopped midway with Ctrl-C', async () => {
    const envFile = path.join(path.dirname(target.envFile), '.env');
    writeFileSync(envFile, `${readFileSync(target.envFile, 'utf8')}\nTWILIO_SANDBOX_URL=${target.sandbox.url}\n`, { mode: 0o600 });
    const { HTTP_PROXY: _proxy, NODE_EXTRA_CA_CERTS: _ca, ...env } = target.proxyEnv;
    const before = new Set(deployTempDirs());
    const child = spawn(process.execPath, [bundle, '--sandbox', '--env-file', envFile], { cwd: ROOT_DIR, env });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Once twilio-run runs (its temporary env file exists), Ctrl-C.
    const made = await eventually(
      () => Promise.resolve(deployTempDirs().filter((dir) => !before.has(dir))),
      (dirs) => dirs.length > 0,
      60_000,
    );
    child.kill('SIGINT');
    expect(await exited).not.toBe(0);
    expect(made.filter((dir) => existsSync(path.join(os.tmpdir(), dir)))).toEqual([]);
  }, 120_000);

  it('refuses, before building, when the sandbox (its CA) does not answer at TWILIO_SANDBOX_URL', async () => {
    const envFile = path.join(path.dirname(target.envFile), '.env.down');
    writeFileSync(envFile, `${readFileSync(target.envFile, 'utf8')}\nTWILIO_SANDBOX_URL=http://127.0.0.1:9\n`, { mode: 0o600 });
    const run = await runCommand(process.execPath, [bundle, '--sandbox', '--env-file', envFile], target.proxyEnv);
    expect([run.code, run.output]).toEqual([
      1,
      match.stringMatching(/npm run deploy refused:\n {2}the sandbox whose CA is .sandbox\/ca.pem does not answer at TWILIO_SANDBOX_URL/),
    ]);
  }, 60_000);
});
