import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bindNumber } from '../../local/bind';
import { clientFor } from '../../local/env-sandbox';
import { runDoctor, type Finding } from '../../local/doctor';
import { ROOT_DIR } from '../../local/layout';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER, functionsEnv } from '../support/stack';
import { control } from '../sandbox/helpers';
import { uploadVersion } from '../sandbox/serverless-helpers';
import { match } from '../support/match';
import { bundledScript, removeBundle } from '../support/script-bundle';
import { runCommand } from '../support/run-command';
import { ensureDailySpendTrigger } from '../../local/usage-triggers';

const API_KEY = `SK${'a7'.repeat(16)}`;
const API_SECRET = 'a-secret-for-the-doctor-test-'.padEnd(32, 'z');
const WEAK_VERIFY = `VA${'b8'.repeat(16)}`;

let bundle: string;
beforeAll(async () => {
  bundle = await bundledScript('doctor');
});
afterAll(() => removeBundle(bundle));

/** Runs scripts/doctor.ts: bundled (node starts it in 0.5 s), or through ts-node as `npm run doctor` does. */
function doctor(
  env: Record<string, string>,
  baseUrl: string,
  via: 'bundle' | 'ts-node' = 'bundle',
): Promise<{ code: number | null; output: string }> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'doctor-')), '.env');
  writeFileSync(
    file,
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
  );
  const [command, script] =
    via === 'ts-node' ? [path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node'), 'scripts/doctor.ts'] : [process.execPath, bundle];
  return runCommand(command, [script, baseUrl, '--env-file', file]);
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
        voiceDialingCountries: ['US', 'GB'],
      },
    );
    env = {
      ...functionsEnv(own.sandbox),
      API_KEY,
      API_SECRET,
      MESSAGING_SERVICE_SID: own.sandbox.messagingServiceSid,
      ALLOWED_COUNTRIES: 'US,GB',
      // A token made once with crypto.randomBytes(32): the stack's test token is a guessable one (a warning here).
      API_TOKEN: 'rYFqXd32xUDeA2fXH4biUEEMwyvHxz8voHscofi0UzE',
    };
    // The kill switch's daily trigger, so "nothing wrong" holds (its absence is a warning, tested below).
    await ensureDailySpendTrigger(own.client, { baseUrl: own.functions.url, dailyUsd: 50 });
  });
  afterAll(() => own.close());

  /** A build of this project's service (`twilio-comms`, as twilio-run names it) in the sandbox's Serverless API. */
  async function build(runtime: string, handler: string): Promise<string> {
    own.sandbox.clock.advance(1000); // each build a second after the last: "latest" is by date_created
    const serverless = own.client.serverless.v1;
    const service =
      (await serverless.services.list()).find((s) => s.uniqueName === 'twilio-comms') ??
      (await serverless.services.create({ uniqueName: 'twilio-comms', friendlyName: 'twilio-comms' }));
    const fn = await serverless.services(service.sid).functions.create({ friendlyName: 'health' });
    const version = await uploadVersion(
      own.sandbox.url,
      { serviceSid: service.sid, kind: 'Functions', sid: fn.sid },
      { path: '/health', visibility: 'public', content: 'exports.handler = (c, e, cb) => cb(null, "ok");' },
      { accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN },
    );
    const created = await serverless.services(service.sid).builds.create({
      functionVersions: [version.body.sid as string],
      dependencies: JSON.stringify([{ name: '@twilio/runtime-handler', version: handler }]),
      runtime,
    });
    return created.sid;
  }
  beforeAll(() => build('node22', '2.0.1'));

  const check = (overrides: Record<string, string> = {}) =>
    runDoctor({ env: { ...env, ...overrides }, client: own.client, baseUrl: own.functions.url });

  it('finds nothing wrong with a bound number and existing services, and exits 0', async () => {
    const findings = await check();
    expect(problems(findings)).toEqual([]);
    expect(findings.filter((finding) => finding.level === 'warning')).toEqual([]);
    expect(findings).toContainEqual(
      match.objectContaining({
        level: 'ok',
        check: 'ALLOWED_COUNTRIES vs voice geo permissions',
        message: match.stringMatching(/US, GB/),
      }),
    );
    expect(findings.filter((finding) => finding.level === 'skipped')).toEqual([]);
    const run = await doctor(env, own.functions.url, 'ts-node');
    expect(run.output).toMatch(/0 problems, 0 warnings\./);
    expect(run.code).toBe(0);
  }, 30_000);

  it('finds each planted problem: a missing service, a weak Verify service, webhooks elsewhere, over http or at an unprotected route', async () => {
    expect(problems(await check({ MESSAGING_SERVICE_SID: `MG${'c9'.repeat(16)}`, VERIFY_SERVICE_SID: `VA${'d0'.repeat(16)}` }))).toEqual([
      match.stringMatching(/^MESSAGING_SERVICE_SID: MGc9c9.* does not exist/),
      match.stringMatching(/^VERIFY_SERVICE_SID: VAd0d0.* does not exist/),
    ]);
    expect(
      (await check({ VERIFY_SERVICE_SID: WEAK_VERIFY })).filter((finding) => finding.level === 'warning').map((finding) => finding.check),
    ).toEqual(['VERIFY_SERVICE_SID code length', 'VERIFY_SERVICE_SID lookup']);
    expect((await check({ API_TOKEN: 'a'.repeat(32) })).filter((finding) => finding.level === 'warning')).toEqual([
      {
        level: 'warning',
        check: 'API_TOKEN',
        message: match.stringMatching(/^has too little entropy .*: a deploy refuses it$/),
        fix: match.stringMatching(/randomBytes/),
      },
    ]);
    expect((await check({ API_KEY: '', API_SECRET: '' })).find((finding) => finding.check === 'credentials')).toMatchObject({
      level: 'warning',
    });

    const [number] = await own.client.incomingPhoneNumbers.list({ phoneNumber: TEST_PHONE_NUMBER, limit: 1 });
    await own.client.incomingPhoneNumbers(number.sid).update({
      smsUrl: `${own.functions.url}/sms/send`,
      voiceUrl: 'http://calls.example.org/voice/incoming',
      statusCallback: 'https://elsewhere.example.org/voice/status',
      voiceFallbackUrl: 'https://10.0.0.5/voice/fallback',
    });
    expect(problems(await check())).toEqual([
      match.stringMatching(/SMS webhook: points at \/sms\/send, which is not a Twilio webhook of this service/),
      match.stringMatching(/Voice webhook: http:\/\/calls\.example\.org must be https:\/\/ so Twilio's callbacks are encrypted/),
      match.stringMatching(/call status callback: points at https:\/\/elsewhere\.example\.org\/voice\/status, not at this service/),
      // The deploy's rule (reachable-url.ts): a private address passes no webhook check, https or not.
      match.stringMatching(
        /Voice fallback URL: https:\/\/10\.0\.0\.5 points at this machine or a private network, which Twilio cannot reach/,
      ),
    ]);
    // Also without a service URL to compare with (it used to pass then).
    expect(problems(await runDoctor({ env, client: own.client }))).toContainEqual(
      match.stringMatching(/Voice fallback URL: https:\/\/10\.0\.0\.5 points at this machine or a private network/),
    );
    await own.client.incomingPhoneNumbers(number.sid).update({ voiceFallbackUrl: `${own.functions.url}/voice/fallback` });
    await own.client.incomingPhoneNumbers(number.sid).update({ smsFallbackUrl: '' });
    expect((await check()).filter((finding) => finding.level === 'warning')).toEqual([
      match.objectContaining({ check: '+15005550006 SMS fallback URL', message: match.stringMatching(/not set/) }),
    ]);
    const run = await doctor(env, own.functions.url);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^PROBLEM {2}\+15005550006 SMS webhook: .*\n {9}fix: npm run bind -- http:\/\/localhost:\d+$/m);
    expect(run.output).not.toContain(API_SECRET);
  }, 30_000);
  it('sender registration: ok on a VERIFIED A2P campaign; a problem without one, a warning while it is in review', async () => {
    const registration = (findings: Finding[]) => findings.filter((finding) => finding.check.endsWith('A2P 10DLC campaign'));
    expect(registration(await check())).toEqual([{ level: 'ok', check: '+15005550006 A2P 10DLC campaign', message: 'VERIFIED' }]);
    const setCampaign = (campaignStatus: string | null) =>
      control(own.sandbox, 'POST', '/messaging/registrations', { serviceSid: own.sandbox.messagingServiceSid, campaignStatus });
    try {
      await setCampaign(null);
      expect(registration(await check())).toEqual([
        {
          level: 'problem',
          check: '+15005550006 A2P 10DLC campaign',
          message: match.stringMatching(
            /in no Messaging Service with an A2P campaign: carriers block its US messages \(Twilio error 30034\)/,
          ),
          fix: match.stringMatching(/Regulatory Compliance > Campaigns/),
        },
      ]);
      await setCampaign('IN_PROGRESS');
      expect(registration(await check())).toEqual([
        match.objectContaining({
          level: 'warning',
          message: match.stringMatching(/whose A2P campaign is IN_PROGRESS: .*wait for the campaign/),
        }),
      ]);
    } finally {
      await setCampaign('VERIFIED');
    }
  }, 30_000);

  it("the deployed service's latest build: ok on a listed handler and a current runtime, a warning on an end-of-life one", async () => {
    const deployed = (findings: Finding[]) => findings.filter((finding) => finding.check === 'deployed build');
    expect(deployed(await check())).toEqual([
      match.objectContaining({
        level: 'ok',
        message: match.stringMatching(/^twilio-comms build ZB\w+: runtime node22, @twilio\/runtime-handler 2\.0\.1$/),
      }),
    ]);
    const sid = await build('node20', '2.0.1');
    expect(deployed(await check())).toEqual([
      match.objectContaining({
        level: 'warning',
        message: match.stringMatching(new RegExp(`^twilio-comms build ${sid}: .*Node\\.js 20 has reached its end of life`)),
      }),
    ]);
    await build('node22', '2.0.1');
  }, 30_000);

  it('ALLOWED_COUNTRIES vs voice dialing permissions: a country whose dialing is off, one with no entry, toll-fraud ranges on', async () => {
    await bindNumber(own.client, TEST_PHONE_NUMBER, own.functions.url); // the test above left it pointing elsewhere
    const geo = (findings: Finding[]) =>
      findings
        .filter((finding) => finding.check === 'ALLOWED_COUNTRIES vs voice geo permissions')
        .map(({ level, message }) => `${level}: ${message}`);
    // CA has no entry of its own: it is called under "United States/Canada" (+1), which is on.
    expect(geo(await check({ ALLOWED_COUNTRIES: 'US,CA,GB,FR,CU' }))).toEqual([
      match.stringMatching(/^warning: FR is in ALLOWED_COUNTRIES but voice dialing to France is off: calls there fail \(Twilio 21215/),
      match.stringMatching(/^warning: CU is in ALLOWED_COUNTRIES but has no entry in the account's voice dialing permissions/),
    ]);
    await control(own.sandbox, 'POST', '/voice/dialing-permissions', { isoCode: 'GB', highRiskTollfraudNumbersEnabled: true });
    try {
      expect(geo(await check())).toEqual(['warning: GB: high-risk (toll fraud) numbers are enabled']);
    } finally {
      await control(own.sandbox, 'POST', '/voice/dialing-permissions', { isoCode: 'GB', highRiskTollfraudNumbersEnabled: false });
    }
    expect(geo(await check({ ALLOWED_COUNTRIES: '*' }))).toEqual([match.stringMatching(/^warning: ALLOWED_COUNTRIES=\* relies/)]);
    // An account or region without the API (404), or credentials that may not read it (403): skipped, not failed.
    await control(own.sandbox, 'POST', '/faults', { pathPattern: '^/voice/v1/DialingPermissions', status: 403, code: 20403 });
    expect(geo(await check())).toEqual([match.stringMatching(/^skipped: the account's voice dialing permissions cannot be read here/)]);
    const run = await doctor({ ...env, ALLOWED_COUNTRIES: 'US,FR' }, own.functions.url);
    expect(run.output).toMatch(/^warning {2}ALLOWED_COUNTRIES vs voice geo permissions: FR is in ALLOWED_COUNTRIES/m);
    expect(run.output).toMatch(/0 problems, 1 warning\./);
    expect(run.code).toBe(0);
  }, 30_000);

  it('<Pay>: PAY_CONNECTOR on a main account is a warning, on a sub-account fine; a Standard key alone cannot tell', async () => {
    const pay = (findings: Finding[]) => findings.filter((finding) => finding.check === '<Pay> and PCI mode');
    expect(pay(await check())).toEqual([]);
    expect(pay(await check({ PAY_CONNECTOR: 'acme_stripe' }))).toEqual([
      match.objectContaining({ level: 'warning', message: match.stringMatching(/PCI mode, which <Pay> needs, is irreversible/) }),
    ]);
    // A Standard API key may not read the Account resource (20003): skipped with the fix, unless the Auth Token reads it.
    const keyOnly = clientFor({ ...env, AUTH_TOKEN: '' });
    const withKey = await runDoctor({ env: { ...env, PAY_CONNECTOR: 'acme_stripe' }, client: keyOnly, baseUrl: own.functions.url });
    expect(pay(withKey)).toEqual([match.objectContaining({ level: 'skipped', fix: match.stringMatching(/AUTH_TOKEN/) })]);
    const run = await doctor({ ...env, PAY_CONNECTOR: 'acme_stripe' }, own.functions.url);
    expect(run.output).toMatch(/^warning {2}<Pay> and PCI mode: PAY_CONNECTOR takes payments on a main account/m);
    expect(run.code).toBe(0);

    const parent = `AC${'5'.repeat(32)}`;
    await control(own.sandbox, 'POST', '/account', { ownerAccountSid: parent });
    try {
      expect(pay(await check({ PAY_CONNECTOR: 'acme_stripe' }))).toEqual([
        { level: 'ok', check: '<Pay> and PCI mode', message: `payments run in a sub-account of ${parent}` },
      ]);
    } finally {
      await control(own.sandbox, 'POST', '/account', { ownerAccountSid: TEST_ACCOUNT_SID });
    }
  }, 30_000);

  it("usage triggers: listed; a warning when none calls this service's /usage/trigger; npm run usage-trigger makes one, once", async () => {
    const triggers = (findings: Finding[]) => findings.filter((finding) => finding.check === 'usage triggers');
    expect(triggers(await check())).toEqual([
      match.objectContaining({ level: 'ok', message: match.stringMatching(/^UT\w{32} totalprice daily price >= 50 .*\/usage\/trigger$/) }),
    ]);
    for (const trigger of await own.client.usage.triggers.list()) await own.client.usage.triggers(trigger.sid).remove();
    expect(triggers(await check())).toEqual([
      match.objectContaining({
        level: 'warning',
        message: match.stringMatching(/none of the account's 0 usage triggers calls .*\/usage\/trigger/),
        fix: 'npm run usage-trigger -- --daily <USD>',
      }),
    ]);

    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'usage-trigger-')), '.env');
    writeFileSync(
      file,
      Object.entries(env)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    );
    const command = path.join(ROOT_DIR, 'node_modules', '.bin', 'ts-node');
    const args = ['scripts/usage-trigger.ts', '--daily', '50', own.functions.url, '--env-file', file];
    const first = await runCommand(command, args);
    expect(first.output).toMatch(/^created: UT\w{32} totalprice daily price >= 50 /m);
    const again = await runCommand(command, args);
    expect(again.output).toMatch(/^already there: /m);
    expect(again.code).toBe(0);
    expect(await own.client.usage.triggers.list()).toHaveLength(1);
    expect(triggers(await check()).map((finding) => finding.level)).toEqual(['ok']);
  }, 30_000);
});
