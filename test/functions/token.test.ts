import { createHmac, timingSafeEqual } from 'node:crypto';
import { callApi } from '../support/http';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { TEST_ACCOUNT_SID } from '../support/stack';
import { match } from '../support/match';

const API_KEY = `SK${'d4'.repeat(16)}`;
const API_SECRET = 'the-api-key-secret-for-this-test-'.padEnd(32, 'q');
const TWIML_APP_SID = `AP${'e5'.repeat(16)}`;
const CLIENT_SYNC_SERVICE_SID = `IS${'f6'.repeat(16)}`;

/** Checks an HS256 JWT's signature with `secret` (as Twilio does) and returns its header and claims; throws when it does not verify. */
function verifyJwt(token: string, secret: string): { header: Record<string, string>; claims: Claims } {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('invalid signature');
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  return { header: decode(header) as Record<string, string>, claims: decode(payload) as Claims };
}

interface Claims {
  iss: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  grants: {
    identity: string;
    voice?: { incoming: { allow: boolean }; outgoing: { application_sid: string } };
    data_sync?: { service_sid: string };
  };
}

describe('POST /token: short-lived Access Tokens for client SDKs', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack(
      { API_KEY, API_SECRET, TWIML_APP_SID, CLIENT_SYNC_SERVICE_SID },
      { apiKeys: [{ sid: API_KEY, secret: API_SECRET }] },
    );
  });
  afterAll(() => own.close());
  const token = (body: Record<string, unknown>) => callApi(`${own.functions.url}/token`, { method: 'POST', body });

  it('mints a token signed with the API key (HS256), for the identity, with only the configured grants, expiring in 10 minutes by default', async () => {
    const before = Math.floor(Date.now() / 1000);
    const answer = await token({ identity: 'agent_ada' });
    expect(answer.status).toBe(200);
    const body = answer.json as { token: string; identity: string; expiresAt: string; grants: string[] };
    expect(body).toMatchObject({ identity: 'agent_ada', grants: ['voice', 'sync'] });
    const { header, claims } = verifyJwt(body.token, API_SECRET);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(claims).toMatchObject({ iss: API_KEY, sub: TEST_ACCOUNT_SID, jti: match.stringMatching(new RegExp(`^${API_KEY}-`)) });
    expect(claims.grants).toEqual({
      identity: 'agent_ada',
      voice: { incoming: { allow: true }, outgoing: { application_sid: TWIML_APP_SID } },
      data_sync: { service_sid: CLIENT_SYNC_SERVICE_SID },
    });
    expect(claims.exp - claims.nbf).toBe(600);
    expect(claims.nbf).toBeGreaterThanOrEqual(before);
    expect(new Date(body.expiresAt).getTime() / 1000).toBe(claims.exp);
    expect(() => verifyJwt(body.token, 'x'.repeat(32))).toThrow(/invalid signature/);
  });

  it('takes a ttl of at most an hour', async () => {
    const answer = await token({ identity: 'agent_ada', ttl: 3600 });
    const { claims } = verifyJwt((answer.json as { token: string }).token, API_SECRET);
    expect(claims.exp - claims.nbf).toBe(3600);
    expect(await token({ identity: 'agent_ada', ttl: 7200 })).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_parameter' } },
    });
  });

  it('refuses an identity that would not be one word in client:<identity>, and callers without the API token', async () => {
    expect(await token({ identity: 'ada lovelace' })).toMatchObject({ status: 400, json: { error: { code: 'invalid_parameter' } } });
    expect(await token({})).toMatchObject({ status: 400, json: { error: { code: 'missing_parameter' } } });
    expect((await callApi(`${own.functions.url}/token`, { method: 'POST', body: { identity: 'x' }, token: null })).status).toBe(401);
  });
});

describe('POST /token without an API key', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ TWIML_APP_SID });
  });
  afterAll(() => own.close());

  it('is refused: Access Tokens are signed with an API key secret, never the Auth Token', async () => {
    const answer = await callApi(`${own.functions.url}/token`, { method: 'POST', body: { identity: 'agent_ada' } });
    expect(answer).toMatchObject({ status: 503, json: { error: { code: 'not_configured', message: match.stringMatching(/API key/) } } });
  });
});
