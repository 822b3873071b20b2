import { canonicalJson, idempotencyItemKey, readIdempotencyKey, requestFingerprint } from '../../../src/lib/runtime/idempotency';
import { syncKey } from '../../../src/lib/stores/sync-key';

describe('Idempotency-Key: the pure parts', () => {
  it('takes an absent header as no key, and 1 to 255 printable ASCII characters as a key', () => {
    expect(readIdempotencyKey(undefined)).toBeUndefined();
    expect(readIdempotencyKey('a')).toBe('a');
    expect(readIdempotencyKey('order 1042/retry #2 ~ ok')).toBe('order 1042/retry #2 ~ ok');
    expect(readIdempotencyKey('k'.repeat(255))).toBe('k'.repeat(255));
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII', 'café'],
    ['a control character', 'a\tb'],
    ['a NUL', 'a\u0000b'],
  ])('refuses a key that is %s with 400 invalid_idempotency_key', (_name, key) => {
    let refusal: unknown;
    try {
      readIdempotencyKey(key);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ status: 400, code: 'invalid_idempotency_key' });
  });

  it('keeps neither the token nor the key in the Sync key, scopes it per token, and needs no escaping', () => {
    const key = idempotencyItemKey('token-one-secret', 'order-1042');
    expect(key).toMatch(/^[0-9a-f]{16}:[0-9a-f]{32}$/);
    expect(key).not.toContain('token-one');
    expect(key).not.toContain('order-1042');
    expect(syncKey(key)).toBe(key);
    expect(idempotencyItemKey('token-two-secret', 'order-1042')).not.toBe(key);
    expect(idempotencyItemKey('token-one-secret', 'order-1043')).not.toBe(key);
  });

  it('reads parameters canonically: key order does not matter, values and the route do', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"e":2,"f":1}]},"b":1}');
    const params = { to: '+12025550123', body: 'hi' };
    expect(requestFingerprint('/sms/send', params)).toBe(requestFingerprint('/sms/send', { body: 'hi', to: '+12025550123' }));
    expect(requestFingerprint('/sms/send', params)).not.toBe(requestFingerprint('/sms/send', { ...params, body: 'hi!' }));
    expect(requestFingerprint('/sms/send', params)).not.toBe(requestFingerprint('/voice/call', params));
  });

  it('writes what JSON.stringify writes with sorted keys (so fingerprints kept in Sync still match)', () => {
    const value = { z: [1, 'two', null, true, { y: undefined, x: [[], {}] }], a: 'é"\n', m: { c: -0.5, b: [undefined] }, e: undefined };
    expect(canonicalJson(value)).toBe('{"a":"é\\"\\n","m":{"b":[null],"c":-0.5},"z":[1,"two",null,true,{"x":[[],{}]}]}');
    expect(canonicalJson('plain')).toBe('"plain"');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('fingerprints parameters 100,000 levels deep without overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 100_000; level += 1) deep = level % 2 === 0 ? [deep] : { k: deep };
    expect(requestFingerprint('/sms/send', { deep })).toMatch(/^[0-9a-f]{64}$/);
  });
});
