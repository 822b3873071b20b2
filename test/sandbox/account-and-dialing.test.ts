import { createTwilioClient } from '../../src/lib/twilio/client';
import {
  ACCOUNT_SID,
  API_KEY,
  AUTH_TOKEN,
  CUSTOMER,
  OWNED_NUMBER,
  control,
  restError,
  startTestSandbox,
  type TestSandbox,
} from './helpers';
import { startVoiceApp, type VoiceApp } from './voice-app';

const MAIN_KEY = { sid: `SK${'2'.repeat(32)}`, secret: 'sandbox-test-main-key-secret', type: 'main' as const };
const PARENT = `AC${'9'.repeat(32)}`;

describe('the sandbox account: Account fetch, Voice Dialing Permissions, softphone clients', () => {
  let env: TestSandbox;
  let app: VoiceApp;
  const keyClient = (key: { sid: string; secret: string }) =>
    createTwilioClient({ accountSid: ACCOUNT_SID, apiKey: key.sid, apiSecret: key.secret, sandboxUrl: env.sandbox.url });

  beforeAll(async () => {
    env = await startTestSandbox({ apiKeys: [API_KEY, MAIN_KEY] });
    app = await startVoiceApp();
  });
  afterAll(async () => {
    await env.sandbox.close();
    await app.close();
  });

  it('Account: a main account owns itself; a sub-account names its parent; a Standard key may not read it (20003)', async () => {
    const account = await env.client.api.v2010.accounts(ACCOUNT_SID).fetch();
    expect(account).toMatchObject({ sid: ACCOUNT_SID, ownerAccountSid: ACCOUNT_SID, status: 'active', type: 'Full' });
    expect((await keyClient(MAIN_KEY).api.v2010.accounts(ACCOUNT_SID).fetch()).sid).toBe(ACCOUNT_SID);
    expect(await restError(keyClient(API_KEY).api.v2010.accounts(ACCOUNT_SID).fetch())).toMatchObject({ status: 401, code: 20003 });
    expect(await restError(env.client.api.v2010.accounts(PARENT).fetch())).toMatchObject({ status: 404, code: 20404 });
    // A Standard key still reaches the account's own resources.
    expect(await keyClient(API_KEY).incomingPhoneNumbers.list({ limit: 1 })).toHaveLength(1);

    expect((await control(env.sandbox, 'POST', '/account', { ownerAccountSid: PARENT })).body).toEqual({
      sid: ACCOUNT_SID,
      ownerAccountSid: PARENT,
      subaccount: true,
    });
    expect((await env.client.api.v2010.accounts(ACCOUNT_SID).fetch()).ownerAccountSid).toBe(PARENT);
    expect((await control(env.sandbox, 'POST', '/account', { ownerAccountSid: 'nope' })).status).toBe(400);
    await control(env.sandbox, 'POST', '/account', { ownerAccountSid: null });
    expect((await env.client.api.v2010.accounts(ACCOUNT_SID).fetch()).ownerAccountSid).toBe(ACCOUNT_SID);
  });

  it('Dialing Permissions: the home country is on by default; fetch, list with filters, 404 for an unknown country', async () => {
    const countries = env.client.voice.v1.dialingPermissions.countries;
    expect(await countries('US').fetch()).toMatchObject({
      isoCode: 'US',
      countryCodes: ['+1'],
      continent: 'NORTH_AMERICA',
      lowRiskNumbersEnabled: true,
      highRiskSpecialNumbersEnabled: false,
      highRiskTollfraudNumbersEnabled: false,
    });
    expect((await countries('GB').fetch()).lowRiskNumbersEnabled).toBe(false);
    expect((await countries.list({ lowRiskNumbersEnabled: true })).map((c) => c.isoCode)).toEqual(['US']);
    expect((await countries.list({ continent: 'EUROPE', pageSize: 2 })).length).toBeGreaterThan(2);
    expect(await restError(countries('ZZ').fetch())).toMatchObject({ status: 404, code: 20404 });

    // Field names of twilio_voice_v1.json's dialing_permissions_country schema and its v1 list envelope
    // (the contract test checks them against the spec once that file is among the shared specs).
    const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    const raw = (await (
      await fetch(`${env.sandbox.url}/voice/v1/DialingPermissions/Countries?PageSize=1`, { headers: { Authorization: auth } })
    ).json()) as { content: Array<Record<string, unknown>>; meta: Record<string, unknown> };
    expect(Object.keys(raw.content[0]).sort()).toEqual(
      [
        'continent',
        'country_codes',
        'high_risk_special_numbers_enabled',
        'high_risk_tollfraud_numbers_enabled',
        'iso_code',
        'links',
        'low_risk_numbers_enabled',
        'name',
        'url',
      ].sort(),
    );
    expect(raw.meta).toMatchObject({ key: 'content', page: 0, page_size: 1, previous_page_url: null });
    expect(raw.meta.next_page_url).toMatch(
      /^https:\/\/voice\.twilio\.com\/v1\/DialingPermissions\/Countries\?PageSize=1&Page=1&PageToken=/,
    );

    const changed = await control(env.sandbox, 'POST', '/voice/dialing-permissions', {
      isoCode: 'gb',
      lowRiskNumbersEnabled: true,
      highRiskTollfraudNumbersEnabled: true,
    });
    expect(changed.body).toMatchObject({ isoCode: 'GB', lowRiskNumbersEnabled: true, highRiskTollfraudNumbersEnabled: true });
    expect((await countries('GB').fetch()).highRiskTollfraudNumbersEnabled).toBe(true);
    expect((await control(env.sandbox, 'POST', '/voice/dialing-permissions', { isoCode: 'ZZ' })).status).toBe(404);
    expect((await control(env.sandbox, 'POST', '/voice/dialing-permissions', { isoCode: 'GB', lowRiskNumbersEnabled: 'yes' })).status).toBe(
      400,
    );
  });

  it('a sandbox option sets the enabled countries and the parent account', async () => {
    const other = await startTestSandbox({ voiceDialingCountries: ['GB', 'FR'], ownerAccountSid: PARENT });
    try {
      const enabled = await other.client.voice.v1.dialingPermissions.countries.list({ lowRiskNumbersEnabled: true });
      expect(enabled.map((c) => c.isoCode).sort()).toEqual(['FR', 'GB']);
      expect((await other.client.api.v2010.accounts(ACCOUNT_SID).fetch()).ownerAccountSid).toBe(PARENT);
    } finally {
      await other.sandbox.close();
    }
  });

  it('<Dial><Client>: an offline client rings out (no-answer); a registered one answers; each ring is recorded', async () => {
    const [number] = await env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER });
    await env.client.incomingPhoneNumbers(number.sid).update({ voiceUrl: `${app.url}/voice` });
    app.routes['/voice'] =
      '<Response><Dial timeout="15" action="/dialed"><Client>support_desk</Client><Client><Identity>alice@example.com</Identity></Client></Dial></Response>';
    app.routes['/dialed'] = (p) => `<Response><Say>${p.DialCallStatus}</Say></Response>`;
    const place = async () =>
      (
        await control<{ steps: Array<{ outcome?: Record<string, unknown>; text?: string }> }>(env.sandbox, 'POST', '/phone/call', {
          from: CUSTOMER,
          to: OWNED_NUMBER,
        })
      ).body;

    const offline = await place();
    expect(offline.steps[0].outcome).toMatchObject({ dialCallStatus: 'no-answer', clients: 'support_desk,alice@example.com', numbers: '' });
    expect(offline.steps[1].text).toBe('no-answer');

    expect((await control(env.sandbox, 'POST', '/voice/clients', { identity: 'support_desk' })).body).toEqual({
      identity: 'support_desk',
      online: true,
      answer: 'answer',
    });
    const answered = await place();
    expect(answered.steps[0].outcome).toMatchObject({ dialCallStatus: 'completed' });
    const { body } = await control<{ rings: Array<{ identity: string; dialCallStatus: string }> }>(env.sandbox, 'GET', '/voice/clients');
    expect(body.rings.map((r) => `${r.identity}:${r.dialCallStatus}`)).toEqual([
      'support_desk:no-answer',
      'alice@example.com:no-answer',
      'support_desk:completed',
      'alice@example.com:no-answer',
    ]);
    expect((await control(env.sandbox, 'POST', '/voice/clients', { identity: 'has space' })).status).toBe(400);
  });
});
