import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDoctor, type Finding } from '../../local/doctor';
import { ROOT_DIR } from '../../local/layout';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { TEST_PHONE_NUMBER, functionsEnv } from '../support/stack';

const API_KEY = `SK${'a7'.repeat(16)}`;
const API_SECRET = 'a-secret-for-the-doctor-test-'.padEnd(32, 'z');
const WEAK_VERIFY = `VA${'b8'.repeat(16)}`;

function doctor(env: Record<string, string>, baseUrl: string): Promise<{ code: number | null; output: string }> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'doctor-')), '.env');
  writeFileSync(
    file,
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
  );
  const child = spawn(path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node'), ['scripts/doctor.ts', baseUrl, '--env-file', file], {
    cwd: ROOT_DIR,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

const problems = (findings: Finding[]) =>
  findings.filter((finding) => finding.level === 'problem').map(({ check, message }) => `${check}: ${message}`);

describe('npm run doctor against the sandbox', () => {
  let own: OwnStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    own = await startOwnStack(
      {},
      {
        apiKeys: [{ sid: API_KEY, secret: API_SECRET }],
        verifyServices: [
          { codeLength: 6, lookupEnabled: true },
          { sid: WEAK_VERIFY, codeLength: 4 },
        ],
      },
    );
    env = { ...functionsEnv(own.sandbox), API_KEY, API_SECRET, MESSAGING_SERVICE_SID: own.sandbox.messagingServiceSid };
  });
  afterAll(() => own.close());
  const check = (overrides: Record<string, string> = {}) =>
    runDoctor({ env: { ...env, ...overrides }, client: own.client, baseUrl: own.functions.url });

  it('finds nothing wrong with a bound number and existing services, and exits 0', async () => {
    const findings = await check();
    expect(problems(findings)).toEqual([]);
    expect(findings.filter((finding) => finding.level === 'warning')).toEqual([]);
    expect(findings).toContainEqual(expect.objectContaining({ level: 'skipped', check: 'ALLOWED_COUNTRIES vs voice geo permissions' }));
    const run = await doctor(env, own.functions.url);
    expect(run.output).toMatch(/0 problems, 0 warnings\./);
    expect(run.code).toBe(0);
  }, 30_000);

  it('finds each planted problem: a missing service, a weak Verify service, webhooks elsewhere, over http or at an unprotected route', async () => {
    expect(problems(await check({ MESSAGING_SERVICE_SID: `MG${'c9'.repeat(16)}`, VERIFY_SERVICE_SID: `VA${'d0'.repeat(16)}` }))).toEqual([
      expect.stringMatching(/^MESSAGING_SERVICE_SID: MGc9c9.* does not exist/),
      expect.stringMatching(/^VERIFY_SERVICE_SID: VAd0d0.* does not exist/),
    ]);
    expect(
      (await check({ VERIFY_SERVICE_SID: WEAK_VERIFY })).filter((finding) => finding.level === 'warning').map((finding) => finding.check),
    ).toEqual(['VERIFY_SERVICE_SID code length', 'VERIFY_SERVICE_SID lookup']);
    expect((await check({ API_KEY: '', API_SECRET: '' })).find((finding) => finding.check === 'credentials')).toMatchObject({
      level: 'warning',
    });

    const [number] = await own.client.incomingPhoneNumbers.list({ phoneNumber: TEST_PHONE_NUMBER, limit: 1 });
    await own.client.incomingPhoneNumbers(number.sid).update({
      smsUrl: `${own.functions.url}/sms/send`,
      voiceUrl: 'http://calls.example.org/voice/incoming',
      statusCallback: 'https://elsewhere.example.org/voice/status',
    });
    expect(problems(await check())).toEqual([
      expect.stringMatching(/SMS webhook: points at \/sms\/send, which is not a Twilio webhook of this service/),
      expect.stringMatching(/Voice webhook: is http:\/\/…: Twilio should call this service over HTTPS/),
      expect.stringMatching(/call status callback: points at https:\/\/elsewhere\.example\.org\/voice\/status, not at this service/),
    ]);
    await own.client.incomingPhoneNumbers(number.sid).update({ smsFallbackUrl: '' });
    expect((await check()).filter((finding) => finding.level === 'warning')).toEqual([
      expect.objectContaining({ check: '+15005550006 SMS fallback URL', message: expect.stringMatching(/not set/) }),
    ]);
    const run = await doctor(env, own.functions.url);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^PROBLEM {2}\+15005550006 SMS webhook: .*\n {9}fix: npm run bind -- http:\/\/localhost:\d+$/m);
    expect(run.output).not.toContain(API_SECRET);
  }, 30_000);
});
