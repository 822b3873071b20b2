import { version } from '../../package.json';
import { callApi } from '../support/http';
import { stack } from '../support/stack';

describe('GET /health', () => {
  it('answers without a token, with the version and sandbox mode', async () => {
    const result = await callApi(`${stack().functionsUrl}/health`, { token: null });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ status: 'ok', version, sandbox: true, paused: false });
  });
});
