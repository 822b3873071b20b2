import { syncKey } from '../../../src/lib/stores/sync-key';
import { SyncMapStore } from '../../../src/lib/stores/sync-map-store';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { sandboxClient } from '../../support/sandbox-phone';

const HOSTILE = [
  'loop@example.com#x',
  'a/b',
  'a?b=c',
  '100%41',
  '~2F',
  'a~2Fb',
  '..',
  '.',
  ' space ',
  'ünïcødé',
  '📱+14155550142',
  'x'.repeat(500),
  'x'.repeat(499) + 'y',
];

describe('syncKey', () => {
  it('keeps the keys the stores already used', () => {
    for (const key of [
      '+14155550142',
      'whatsapp:+14155550142',
      'voice:+14155550142',
      'SM0123456789abcdef0123456789abcdef',
      'sms-retry:SMx:1',
      'to:+1415@2026-12-01T03',
      'a.b_c-d@example.com',
    ]) {
      expect(syncKey(key)).toBe(key);
    }
  });

  it("encodes every other character, stays within Sync's 320 characters, and keeps distinct inputs distinct", () => {
    const keys = HOSTILE.map(syncKey);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9+@._:~-]+$/);
      expect(key.length).toBeLessThanOrEqual(320);
    }
    expect(new Set(keys).size).toBe(HOSTILE.length);
    expect(syncKey('a/b')).toBe('a~2Fb');
  });
});

// The real twilio-node client against the run's sandbox: hostile keys round-trip, and an update
// never loops (the old store made 12,091 requests for "loop@example.com#x").
describe('SyncMapStore with hostile keys', () => {
  const store = () =>
    new SyncMapStore<{ n: number }>(sandboxClient(), { service: 'default', name: 'hostile-keys', shards: 2, deadline: Deadline.in(9_000) });

  it.each(HOSTILE.map((key) => [key.slice(0, 30), key]))('round-trips %j', async (_label, key) => {
    const s = store();
    expect(await s.update(key, (current) => ({ n: (current?.n ?? 0) + 1 }))).toEqual({ n: 1 });
    expect(await s.update(key, (current) => ({ n: (current?.n ?? 0) + 1 }))).toEqual({ n: 2 });
    expect((await s.get(key))?.data).toEqual({ n: 2 });
    expect(await s.createIfAbsent(key, { n: 9 })).toBe(false);
    await s.remove(key);
    expect(await s.get(key)).toBeUndefined();
  });
});
