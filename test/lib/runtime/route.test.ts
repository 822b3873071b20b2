import { startLocalFunctions, type LocalFunctions } from '../../../local/functions-server';
import { callApi } from '../../support/http';
import { TEST_API_TOKEN, functionsEnv, stack } from '../../support/stack';
import { match } from '../../support/match';

// Fixture Functions built on the real shared asset, served by the real local server, talking to
// the run's sandbox: what every route gets from apiAction / publicAction.
describe('route wrappers', () => {
  let server: LocalFunctions;

  beforeAll(async () => {
    server = await startLocalFunctions({ port: 0, env: functionsEnv(stack().sandbox), functionsFolder: 'test/fixtures/functions' });
  });
  afterAll(() => server.close());

  it('runs an API action for the right bearer token', async () => {
    const result = await callApi(`${server.url}/api-echo`, { method: 'POST', body: { name: 'Ada' } });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ name: 'Ada' });
    expect(result.headers.get('content-type')).toMatch(/application\/json/);
  });

  it.each([
    ['a missing token', null],
    ['a wrong token', 'x'.repeat(TEST_API_TOKEN.length)],
  ])('refuses %s with a 401 JSON error', async (_name, token) => {
    const result = await callApi(`${server.url}/api-echo?name=Ada`, { token });
    expect(result.status).toBe(401);
    expect(result.json).toEqual({ error: { code: 'unauthorized', message: match.any(String) } });
  });

  it('answers a caller mistake with 400 and a clear error', async () => {
    const result = await callApi(`${server.url}/api-echo`, { method: 'POST', body: {} });
    expect(result.status).toBe(400);
    expect(result.json).toEqual({ error: { code: 'missing_parameter', message: '"name" is required' } });
  });

  it('turns a bug into a generic 500 without a stack trace or internals', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await callApi(`${server.url}/buggy`);
    expect(result.status).toBe(500);
    expect(result.json).toEqual({ error: { code: 'internal_error', message: match.any(String) } });
    expect(result.text).not.toMatch(/secret internals|stack|\/srv\//);
    spy.mockRestore();
  });

  it.each([
    ['+15005550001', 400, 'invalid_number', 21211],
    ['+15005550002', 400, 'unroutable', 21612],
    ['+15005550003', 400, 'region_not_enabled', 21408],
    ['+15005550004', 409, 'opted_out', 21610],
    ['+15005550009', 400, 'not_mobile', 21614],
  ])('maps the Twilio error for %s to %i %s', async (to, status, code, twilioCode) => {
    const result = await callApi(`${server.url}/send-magic?to=${encodeURIComponent(to)}`);
    expect(result.status).toBe(status);
    expect(result.json).toEqual({ error: { code, message: match.any(String), twilioCode } });
  });
});
