import { startLocalFunctions, type LocalFunctions } from '../../local/functions-server';
import { postSignedForm, postSignedJson } from '../support/http';
import { TEST_AUTH_TOKEN } from '../support/stack';
import { match } from '../support/match';

const runs = () => (globalThis as { __echoRuns?: number }).__echoRuns ?? 0;

describe('local Functions gateway', () => {
  let server: LocalFunctions;

  beforeAll(async () => {
    server = await startLocalFunctions({
      port: 0,
      env: { ACCOUNT_SID: 'AC' + '0'.repeat(32), AUTH_TOKEN: TEST_AUTH_TOKEN },
      functionsFolder: 'test/fixtures/functions',
      timeoutMs: 300,
    });
  });
  afterAll(() => server.close());

  it('serves a protected Function to a correctly signed form webhook', async () => {
    const before = runs();
    const result = await postSignedForm(`${server.url}/echo`, { From: '+14155550142', Body: 'hi' });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ params: { From: '+14155550142', Body: 'hi' } });
    expect(runs()).toBe(before + 1);
  });

  it.each([
    ['no signature', { signature: null }],
    ['a forged signature', { signature: 'bm90IGEgc2lnbmF0dXJl' }],
    ['a signature made with another auth token', { authToken: 'another-token-another-token-0000' }],
  ])('refuses %s with 403 before the Function runs', async (_name, options) => {
    const before = runs();
    const result = await postSignedForm(`${server.url}/echo`, { From: '+14155550142' }, options);
    expect(result.status).toBe(403);
    expect(result.json).toEqual({ error: { code: 'invalid_signature', message: match.stringContaining('signature') } });
    expect(runs()).toBe(before);
  });

  it('refuses a signed request whose parameters were changed on the way', async () => {
    const url = `${server.url}/echo`;
    const { getExpectedTwilioSignature } = await import('twilio');
    const signature = getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, { Body: 'original' });
    const tampered = await postSignedForm(url, { Body: 'tampered' }, { signature });
    expect(tampered.status).toBe(403);
  });

  it('checks the query string as part of the signed URL', async () => {
    const ok = await postSignedForm(`${server.url}/echo?attempt=1`, { Body: 'x' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ params: { attempt: '1', Body: 'x' } });
  });

  it('accepts a JSON webhook signed with bodySHA256 and refuses a changed body', async () => {
    const ok = await postSignedJson(`${server.url}/echo`, { event: 'delivered' });
    expect(ok.status).toBe(200);

    const { getExpectedBodyHash, getExpectedTwilioSignature } = await import('twilio');
    const url = `${server.url}/echo?bodySHA256=${getExpectedBodyHash('{"event":"delivered"}')}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, {}) },
      body: '{"event":"failed"}',
    });
    expect(response.status).toBe(403);
  });

  it('serves public Functions without a signature and hides private ones, as Twilio does (not accessible by URL)', async () => {
    expect((await fetch(`${server.url}/open`)).status).toBe(200);
    const hidden = await fetch(`${server.url}/hidden`);
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual({ error: { code: 'not_found', message: match.any(String) } });
  });

  it('answers 504 when a Function does not answer within its time limit', async () => {
    const result = await fetch(`${server.url}/stuck`);
    expect(result.status).toBe(504);
    expect(await result.json()).toEqual({ error: { code: 'function_timeout', message: match.any(String) } });
  });

  it('fails clearly when the port is taken', async () => {
    await expect(startLocalFunctions({ port: server.port, env: {} })).rejects.toThrow(/already in use/);
  });
});
