// The sandbox's edge serving a deployed build (dist/, the real product, plus a few test-only
// Functions) through a fake SiteSource: Twilio's rules, containers, Variables as context, the
// 10 s limit (shortened here), crashes, and a webhook delivered in-process.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fsHelpers } from '@twilio-labs/serverless-api';
import { getExpectedTwilioSignature } from 'twilio';
import { ROOT_DIR } from '../../../local/layout';
import { startSandbox, type DeployedFile, type DeployedSite, type FunctionLogLine, type Sandbox, type SiteSource } from '../../../sandbox';
import { DeployedSites } from '../../../sandbox/edge/deployed-sites';
import { createTwilioClient } from '../../../src/lib/twilio/client';
import { match } from '../../support/match';

const ACCOUNT_SID = `AC${'e1'.repeat(16)}`;
const AUTH_TOKEN = 'e2'.repeat(16);
const DOMAIN = 'twilio-comms-1234-dev.twil.io';
const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');

/** Test-only Functions beside the built ones. */
const EXTRA_FUNCTIONS: Record<string, string> = {
  '/context': `exports.handler = (context, event, callback) => {
    const { getTwilioClient, ...rest } = context;
    callback(null, { context: rest, processEnv: Object.keys(process.env).sort(), pid: process.pid });
  };`,
  '/slow': 'exports.handler = () => {};',
  // Answers once the file named by ?release= exists, with its process id.
  '/quick-later': `exports.handler = (context, event, callback) => {
    const wait = setInterval(() => {
      if (!require('fs').existsSync(event.release)) return;
      clearInterval(wait);
      callback(null, { pid: process.pid });
    }, 10);
  };`,
  '/crash': "exports.handler = () => { setImmediate(() => { throw new Error('boom'); }); };",
  // Deployed code can send anything over the container's IPC channel.
  '/bad-log': "exports.handler = () => { process.send({ type: 'log', line: null }); };",
  '/bad-answer': `exports.handler = (context, event, callback) => {
    const send = process.send.bind(process);
    process.send = (message, ...rest) => send(message.type === 'answer' ? { ...message, answer: { ...message.answer, body: 5 } } : message, ...rest);
    callback(null, 'ok');
  };`,
  '/chatty': "exports.handler = (context, event, callback) => { console.log('hello from a Function'); callback(null, 'ok'); };",
  '/undeclared': "exports.handler = (context, event, callback) => { require('valibot'); callback(null, 'loaded'); };",
};

function builtSite(deploymentSid: string, variables: Record<string, string>): DeployedSite {
  return { ...baseSite, deploymentSid, variables };
}

let baseSite: DeployedSite;

async function readBuild(): Promise<Pick<DeployedSite, 'functions' | 'assets'>> {
  const routes = await fsHelpers.getListOfFunctionsAndAssets(ROOT_DIR, {
    functionsFolderNames: ['dist/functions'],
    assetsFolderNames: ['dist/assets'],
  });
  let n = 1;
  const file = (entry: { path: string; access: DeployedFile['visibility']; filePath: string }): DeployedFile => ({
    path: entry.path,
    visibility: entry.access,
    content: readFileSync(entry.filePath),
    sid: sid('ZH', n++),
  });
  const extra = Object.entries(EXTRA_FUNCTIONS).map(([fnPath, code]): DeployedFile => ({
    path: fnPath,
    visibility: 'public',
    content: Buffer.from(code),
    sid: sid('ZH', n++),
  }));
  return {
    functions: [...routes.functions.map(file), ...extra],
    assets: [
      ...routes.assets.map(file),
      { path: '/hello.txt', visibility: 'public', content: Buffer.from('hello'), sid: sid('ZH', n++) },
      { path: '/secret.txt', visibility: 'protected', content: Buffer.from('secret'), sid: sid('ZH', n++) },
    ],
  };
}

/** Resolves once no process `pid` runs (the test's timeout bounds the wait). */
async function processGone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

class FakeSites implements SiteSource {
  current: DeployedSite | undefined;
  readonly logs: FunctionLogLine[] = [];
  siteFor(domain: string): DeployedSite | undefined {
    return domain === this.current?.domain ? this.current : undefined;
  }
  appendLog(_site: DeployedSite, line: FunctionLogLine): void {
    this.logs.push(line);
  }
}

describe('the edge of deployed sites', () => {
  const sites = new FakeSites();
  let dataDir: string;
  let edge: DeployedSites;

  beforeAll(async () => {
    const build = await readBuild();
    baseSite = {
      domain: DOMAIN,
      accountSid: ACCOUNT_SID,
      serviceSid: sid('ZS', 1),
      environmentSid: sid('ZE', 1),
      buildSid: sid('ZB', 1),
      deploymentSid: sid('ZD', 1),
      runtime: 'node22',
      dependencies: (JSON.parse(readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
        .dependencies,
      ...build,
      variables: {},
      includeCredentials: true,
    };
    const { valibot: _valibot, ...withoutValibot } = baseSite.dependencies;
    baseSite.dependencies = withoutValibot;
    sites.current = builtSite(sid('ZD', 1), { GREETING: 'hi' });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'edge-test-'));
    edge = new DeployedSites({ sites, authToken: AUTH_TOKEN, dataDir: () => dataDir, timeoutMs: 1500 });
  });
  afterAll(async () => {
    await edge.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (target: string, headers: Record<string, string> = {}) =>
    edge.invoke({ method: 'GET', url: `https://${DOMAIN}${target}`, headers, body: Buffer.alloc(0) });
  const json = (body: Buffer): unknown => JSON.parse(body.toString('utf8'));

  it('serves a public Function of the build', async () => {
    const answer = await get('/health');
    expect([answer.status, answer.body.toString()]).toEqual([200, match.any(String)]);
  });

  it('answers a protected Function 403 unsigned and runs it with a valid signature', async () => {
    const form = new URLSearchParams({ From: '+14155550142', To: '+15005550006', Body: 'HELP', MessageSid: sid('SM', 7) });
    const url = `https://${DOMAIN}/sms/incoming`;
    const post = (headers: Record<string, string>) =>
      edge.invoke({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: Buffer.from(form.toString()),
      });
    const unsigned = await post({});
    expect([unsigned.status, json(unsigned.body)]).toEqual([403, { error: { code: 'invalid_signature', message: match.any(String) } }]);
    const forged = await post({ 'x-twilio-signature': getExpectedTwilioSignature('another-token', url, Object.fromEntries(form)) });
    expect(forged.status).toBe(403);
    const signed = await post({ 'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, url, Object.fromEntries(form)) });
    expect(signed.status).not.toBe(403);
    expect(String(signed.headers['content-type'])).toMatch(/xml/);
  });

  it('does not serve private Functions or Assets, serves public Assets with a content type, protected Assets only signed', async () => {
    expect((await get('/comms.js')).status).toBe(404);
    const hello = await get('/hello.txt');
    expect([hello.status, hello.body.toString(), String(hello.headers['content-type'])]).toEqual([
      200,
      'hello',
      match.stringMatching(/^text\/plain/),
    ]);
    expect((await get('/secret.txt')).status).toBe(403);
    const signed = await get('/secret.txt', {
      'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, `https://${DOMAIN}/secret.txt`, {}),
    });
    expect(signed.body.toString()).toBe('secret');
  });

  it("gives a Function the environment's Variables and Twilio's own context, not this process's env", async () => {
    process.env.EDGE_TEST_LEAK = 'leaked';
    const answer = json((await get('/context')).body) as { context: Record<string, string>; processEnv: string[] };
    expect(answer.context).toEqual({
      GREETING: 'hi',
      DOMAIN_NAME: DOMAIN,
      PATH: '/context',
      SERVICE_SID: baseSite.serviceSid,
      ENVIRONMENT_SID: baseSite.environmentSid,
      ACCOUNT_SID,
      AUTH_TOKEN,
    });
    expect(answer.processEnv).not.toContain('EDGE_TEST_LEAK');
    expect(
      answer.processEnv.filter((name) => !['PATH', 'HTTP_PROXY', 'NODE_EXTRA_CA_CERTS'].includes(name) && !name.startsWith('NODE_')),
    ).toEqual([]);
  });

  it('loads declared Dependencies only: an undeclared package fails as on Twilio', async () => {
    expect((await get('/undeclared')).status).toBe(500);
  });

  it("answers a Function past the limit with Twilio's 504, logs 82002, and replaces its container", async () => {
    const before = (json((await get('/context')).body) as { pid: number }).pid;
    const slow = await get('/slow');
    expect([slow.status, json(slow.body)]).toEqual([
      504,
      { error: { code: 'function_timeout', message: match.stringContaining('timed out') } },
    ]);
    expect(sites.logs).toContainEqual(match.objectContaining({ level: 'error', message: match.stringContaining('82002') }));
    const after = (json((await get('/context')).body) as { pid: number }).pid;
    expect(after).not.toBe(before);
  });

  it('fails only the invocation past the limit: another one running in the same container still answers', async () => {
    const pid = (json((await get('/context')).body) as { pid: number }).pid;
    const release = path.join(dataDir, 'release-quick-later');
    const slow = get('/slow');
    // Started a third of the limit after /slow, so it is still within its own limit when /slow runs out.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const quickLater = get(`/quick-later?release=${encodeURIComponent(release)}`);
    expect((await slow).status).toBe(504);
    writeFileSync(release, '');
    const answer = await quickLater;
    expect([answer.status, json(answer.body)]).toEqual([200, { pid }]);
    // The retired container goes once it has nothing left to answer (the next request cold-starts).
    await processGone(pid);
  });

  it('survives a Function that crashes its container: the next request cold-starts', async () => {
    const crash = await get('/crash');
    expect(crash.status).toBeGreaterThanOrEqual(500);
    // A Function that does no I/O (/health reads Sync for the kill switch's pause), so only the cold start is timed.
    expect((await get('/chatty')).status).toBe(200);
  });

  it.each(['/bad-log', '/bad-answer'])(
    'survives a Function that sends its container a malformed message (%s): that container is stopped',
    async (target) => {
      const pid = (json((await get('/context')).body) as { pid: number }).pid;
      const bad = await get(target);
      expect([bad.status, json(bad.body)]).toEqual([
        502,
        { error: { code: 'function_failed', message: match.stringContaining('malformed message') } },
      ]);
      expect(sites.logs).toContainEqual(match.objectContaining({ level: 'error', message: match.stringContaining('malformed message') }));
      await processGone(pid);
      expect((await get('/chatty')).status).toBe(200);
    },
  );

  it("keeps a Function's console output in the Logs, tied to the Function", async () => {
    expect((await get('/chatty')).status).toBe(200);
    const chatty = baseSite.functions.find((fn) => fn.path === '/chatty');
    expect(sites.logs).toContainEqual({
      functionSid: chatty?.sid,
      requestSid: match.stringMatching(/^RQ/),
      level: 'info',
      message: 'hello from a Function',
    });
  });

  it('starts a new container for a new deployment', async () => {
    const before = (json((await get('/context')).body) as { pid: number }).pid;
    sites.current = builtSite(sid('ZD', 2), { GREETING: 'hello again' });
    const answer = json((await get('/context')).body) as { pid: number; context: Record<string, string> };
    expect([answer.pid === before, answer.context.GREETING]).toEqual([false, 'hello again']);
  });

  it('refuses a Host that is not a deployed domain, and a port that is not https', async () => {
    expect(
      (await edge.invoke({ method: 'GET', url: 'https://other-0000.twil.io/health', headers: {}, body: Buffer.alloc(0) })).status,
    ).toBe(400);
    expect((await edge.invoke({ method: 'GET', url: `https://${DOMAIN}:8443/health`, headers: {}, body: Buffer.alloc(0) })).status).toBe(
      400,
    );
  });
});

describe('webhooks to a deployed domain', () => {
  let sandbox: Sandbox;
  const sites = new FakeSites();
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'edge-hook-'));
    sites.current = {
      ...builtSite(sid('ZD', 3), {}),
      functions: [
        {
          path: '/hook',
          visibility: 'protected',
          sid: sid('ZH', 99),
          content: Buffer.from('exports.handler = (c, e, cb) => cb(null, { got: e.MessageStatus });'),
        },
      ],
      assets: [],
    };
    sandbox = await startSandbox({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      phoneNumbers: ['+15005550006'],
      sites,
      dataDir,
      callbackDelayMs: 1,
    });
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers a status callback to a deployed domain in-process, signed, through the edge', async () => {
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, sandboxUrl: sandbox.url });
    const message = await client.messages.create({
      from: '+15005550006',
      to: '+14155550142',
      body: 'hi',
      statusCallback: `https://${DOMAIN}/hook`,
    });
    await sandbox.settled();
    const records = (await (await fetch(`${sandbox.url}/_sandbox/callbacks?sid=${message.sid}`)).json()) as Array<{
      status: number;
      answer: { body: string };
    }>;
    expect(records.length).toBeGreaterThan(0);
    expect(records.map((record) => record.status)).toEqual(records.map(() => 200));
    expect(records[0].answer.body).toMatch(/"got":"/);
  });
});
