// The real path: unmodified Twilio clients, in their own processes, configured only by the
// environment (HTTP_PROXY + NODE_EXTRA_CA_CERTS for Node, HTTPS_PROXY + REQUESTS_CA_BUNDLE for Python).
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, startTestSandbox, type TestSandbox } from '../helpers';
import { removeDir, tempCaDir } from './helpers';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

let env: TestSandbox;
let caDir: string;

beforeAll(async () => {
  caDir = await tempCaDir();
  env = await startTestSandbox({ proxy: { caDir } });
});

afterAll(async () => {
  await env.sandbox.close();
  await removeDir(caDir);
});

/** Plain twilio-node, as any project uses it: `twilio(sid, token)`, no httpClient. */
const TWILIO_NODE_SCRIPT = `
const twilio = require('twilio');
const [sid, token, from, to] = process.argv.slice(1);
(async () => {
  const client = twilio(sid, token);
  const message = await client.messages.create({ from, to, body: 'through the proxy' });
  const sync = client.sync.v1.services('default');
  await sync.syncMaps.create({ uniqueName: 'proxied-map' });
  await sync.syncMaps('proxied-map').syncMapItems.create({ key: 'k', data: { via: 'proxy' } });
  const item = await sync.syncMaps('proxied-map').syncMapItems('k').fetch();
  process.stdout.write(JSON.stringify({ messageSid: message.sid, item: item.data }));
})().catch((error) => {
  process.stderr.write(String(error && error.message));
  process.exit(1);
});
`;

/** Only what the documentation tells a user to set: no inherited proxy or CA settings. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extra };
}

describe('twilio-node, unmodified, through HTTP_PROXY with NODE_EXTRA_CA_CERTS', () => {
  it('sends an SMS and reads Sync in this sandbox', async () => {
    const { stdout } = await run(process.execPath, ['-e', TWILIO_NODE_SCRIPT, ACCOUNT_SID, AUTH_TOKEN, OWNED_NUMBER, CUSTOMER], {
      cwd: ROOT,
      env: childEnv({ HTTP_PROXY: env.sandbox.proxyUrl ?? '', NODE_EXTRA_CA_CERTS: env.sandbox.caPath ?? '' }),
    });
    const result = JSON.parse(stdout) as { messageSid: string; item: unknown };
    expect(result.item).toEqual({ via: 'proxy' });
    // The same message and map, read back through the sandbox-aware client: it was this sandbox.
    const message = await env.client.messages(result.messageSid).fetch();
    expect([message.to, message.body]).toEqual([CUSTOMER, 'through the proxy']);
    const item = await env.client.sync.v1.services('default').syncMaps('proxied-map').syncMapItems('k').fetch();
    expect(item.data).toEqual({ via: 'proxy' });
  });

  it('fails without the CA: the tunnel is real TLS that only the local CA vouches for', async () => {
    await expect(
      run(process.execPath, ['-e', TWILIO_NODE_SCRIPT, ACCOUNT_SID, AUTH_TOKEN, OWNED_NUMBER, CUSTOMER], {
        cwd: ROOT,
        env: childEnv({ HTTP_PROXY: env.sandbox.proxyUrl ?? '' }),
      }),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/certificate/i) as unknown });
  });
});

const hasRequests = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
if (!hasRequests) console.log('Skipping the Python proxy test: python3 with `requests` is not installed here');

/** What twilio-python does underneath: requests, with Basic auth and a form body. */
const PYTHON_SCRIPT = `
import sys, requests
sid, token, sender, to = sys.argv[1:]
base = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
sent = requests.post(base, auth=(sid, token), data={"From": sender, "To": to, "Body": "from python"}, timeout=10)
listed = requests.get(base, auth=(sid, token), timeout=10)
print(sent.status_code, sent.json()["sid"], listed.status_code)
`;

(hasRequests ? describe : describe.skip)('Python requests through HTTPS_PROXY with REQUESTS_CA_BUNDLE', () => {
  it('sends an SMS in this sandbox', async () => {
    const { stdout } = await run('python3', ['-c', PYTHON_SCRIPT, ACCOUNT_SID, AUTH_TOKEN, OWNED_NUMBER, CUSTOMER], {
      env: childEnv({ HTTPS_PROXY: env.sandbox.proxyUrl ?? '', REQUESTS_CA_BUNDLE: env.sandbox.caPath ?? '' }),
    });
    const [created, sid, listed] = stdout.trim().split(' ');
    expect([created, listed]).toEqual(['201', '200']);
    expect((await env.client.messages(sid).fetch()).body).toBe('from python');
  });
});
