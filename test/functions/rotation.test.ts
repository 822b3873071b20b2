import { callApi, postSignedForm } from '../support/http';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER } from '../support/stack';

// Rotation without downtime (issue 11): while both old and new credentials are configured, both work.
const OLD_API_TOKEN = 'XBy2S6ViQH7Ph75imXWPM7-K800hJ-rKqguhkyexWNo';
const NEW_API_TOKEN = 'rYFqXd32xUDeA2fXH4biUEEMwyvHxz8voHscofi0UzE';
/** The secondary Auth Token Twilio issued (the primary, TEST_AUTH_TOKEN, still signs until it is promoted). */
const SECONDARY_AUTH_TOKEN = '6d'.repeat(16);

describe('rotation: old and new credentials are both accepted while both are configured', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ API_TOKEN: `${OLD_API_TOKEN},${NEW_API_TOKEN}`, AUTH_TOKEN_SECONDARY: SECONDARY_AUTH_TOKEN });
  });
  afterAll(() => own.close());

  it('API_TOKEN lists the old and the new token: callers switch over one by one; any other token is 401', async () => {
    const consent = (token: string) => callApi(`${own.functions.url}/consent?number=%2B13125550100`, { token });
    expect((await consent(OLD_API_TOKEN)).status).toBe(200);
    expect((await consent(NEW_API_TOKEN)).status).toBe(200);
    expect(await consent(`${OLD_API_TOKEN.slice(0, -1)}x`)).toMatchObject({ status: 401, json: { error: { code: 'unauthorized' } } });
  });

  it('the local gateway accepts webhook signatures made with AUTH_TOKEN or AUTH_TOKEN_SECONDARY, and no other', async () => {
    const url = `${own.functions.url}/sms/incoming`;
    const params = {
      AccountSid: TEST_ACCOUNT_SID,
      MessageSid: `SM${'c3'.repeat(16)}`,
      From: '+13125550101',
      To: TEST_PHONE_NUMBER,
      Body: 'hello',
    };
    expect((await postSignedForm(url, params, { authToken: TEST_AUTH_TOKEN })).status).toBe(200);
    expect((await postSignedForm(url, { ...params, MessageSid: `SM${'c4'.repeat(16)}` }, { authToken: SECONDARY_AUTH_TOKEN })).status).toBe(
      200,
    );
    expect(await postSignedForm(url, params, { authToken: 'f'.repeat(32) })).toMatchObject({
      status: 403,
      json: { error: { code: 'invalid_signature' } },
    });
  });

  it('the sandbox (which signs with the primary token) still reaches the webhooks', async () => {
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+13125550102', to: TEST_PHONE_NUMBER, body: 'HELP' }),
    });
    expect(((await response.json()) as { webhook: { status: number } }).webhook.status).toBe(200);
  });
});
