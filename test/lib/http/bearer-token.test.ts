import { requireBearerToken, secretsEqual } from '../../../src/lib/http/bearer-token';
import { errorWith } from '../../support/match';

const TOKEN = 'a'.repeat(40);

describe('requireBearerToken', () => {
  it('accepts the configured token, whatever the case of "Bearer"', () => {
    expect(() => requireBearerToken(`Bearer ${TOKEN}`, TOKEN)).not.toThrow();
    expect(() => requireBearerToken(`bearer ${TOKEN}`, TOKEN)).not.toThrow();
  });

  it.each([
    ['missing', undefined],
    ['not a bearer header', `Basic ${TOKEN}`],
    ['wrong', 'Bearer ' + 'b'.repeat(40)],
    ['a prefix of the token', 'Bearer ' + TOKEN.slice(0, 10)],
    ['empty', 'Bearer '],
  ])('refuses a %s token with 401', (_name, header) => {
    expect(() => requireBearerToken(header, TOKEN)).toThrow(errorWith({ status: 401, code: 'unauthorized' }));
  });

  it('stays closed (500 not_configured) when no token is configured', () => {
    expect(() => requireBearerToken(`Bearer ${TOKEN}`, undefined)).toThrow(errorWith({ status: 500, code: 'not_configured' }));
  });
});

describe('secretsEqual', () => {
  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('short', 'a much longer secret')).toBe(false);
    expect(secretsEqual('same', 'same')).toBe(true);
  });
});
