import { readSettings } from '../../../src/lib/config/settings';
import { issueVerificationHandle, readVerificationHandle, requireHandleFor } from '../../../src/lib/verify/handle';
import { errorWith } from '../../support/match';

const SERVICE = `VA${'1'.repeat(32)}`;
const TO = '+14155550142';
const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const withToken = readSettings({ AUTH_TOKEN: 'a'.repeat(8) + 'b'.repeat(8) + 'c'.repeat(16) });
const issue = (overrides: { to?: string; now?: number } = {}) =>
  issueVerificationHandle(withToken, { to: overrides.to ?? TO, serviceSid: SERVICE }, 'sms', overrides.now ?? NOW);
const verdict = (handle: string, binding = { to: TO, serviceSid: SERVICE }, now = NOW, settings = withToken) => {
  try {
    requireHandleFor(settings, readVerificationHandle({ verification: handle }), binding, now);
    return 'accepted';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('verification handles', () => {
  it('accepts its own handle for its destination and service until 10 minutes have passed', () => {
    const handle = issue();
    expect(handle).toMatch(/^v1\.\d{10}\.sms\.[\w-]{22}\.[\w-]{43}$/);
    expect(verdict(handle)).toBe('accepted');
    expect(verdict(handle, undefined, NOW + 10 * 60_000 - 1000)).toBe('accepted');
    expect(verdict(handle, undefined, NOW + 10 * 60_000)).toBe('verification_expired');
  });

  it('is new each time: two starts to one number get two handles', () => {
    expect(issue()).not.toBe(issue());
  });

  it("refuses another destination's, another service's and another key's handle", () => {
    const handle = issue();
    expect(verdict(handle, { to: '+14155550143', serviceSid: SERVICE })).toBe('verification_mismatch');
    expect(verdict(handle, { to: TO, serviceSid: `VA${'2'.repeat(32)}` })).toBe('verification_mismatch');
    expect(verdict(handle, undefined, NOW, readSettings({ AUTH_TOKEN: 'z'.repeat(32) }))).toBe('verification_mismatch');
  });

  it('signs with API_SECRET when an API key is in use, else with AUTH_TOKEN', () => {
    const withKey = readSettings({ AUTH_TOKEN: withToken.authToken ?? '', API_KEY: `SK${'3'.repeat(32)}`, API_SECRET: 'k'.repeat(32) });
    const handle = issueVerificationHandle(withKey, { to: TO, serviceSid: SERVICE }, 'sms', NOW);
    expect(verdict(handle, undefined, NOW, withKey)).toBe('accepted');
    expect(verdict(handle)).toBe('verification_mismatch');
  });

  it('refuses any change to a field, the expiry and channel included', () => {
    const [version, expiry, channel, nonce, mac] = issue().split('.');
    const changed = [
      [version, String(Number(expiry) + 600), channel, nonce, mac],
      [version, expiry, 'call', nonce, mac],
      [version, expiry, channel, `${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`, mac],
      [version, expiry, channel, nonce, `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`],
    ];
    for (const parts of changed) expect(verdict(parts.join('.'))).toBe('verification_mismatch');
  });

  it('refuses what is not a handle in shape or size with 400', () => {
    expect(() => readVerificationHandle({})).toThrow(errorWith({ status: 400, code: 'missing_parameter' }));
    for (const value of ['x', `${issue()}.`, `v2${issue().slice(2)}`, issue().replace('sms', 'fax'), 'v1.'.padEnd(129, '1'), 42, { a: 1 }])
      expect(() => readVerificationHandle({ verification: value })).toThrow(errorWith({ status: 400, code: 'invalid_verification' }));
  });

  it('refuses to sign without a secret', () => {
    expect(() => issueVerificationHandle(readSettings({}), { to: TO, serviceSid: SERVICE }, 'sms')).toThrow(
      errorWith({ status: 500, code: 'not_configured' }),
    );
  });
});
