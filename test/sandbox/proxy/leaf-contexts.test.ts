import { LEAF_CACHE_SIZE, LeafContexts } from '../../../sandbox/proxy/leaf-contexts';
import { useTempCa } from './helpers';

const temp = useTempCa();

describe('LeafContexts', () => {
  it('reuses a leaf per host name', async () => {
    const leaves = new LeafContexts(temp.ca);
    const first = leaves.contextFor('api.twilio.com');
    expect(leaves.contextFor('api.twilio.com')).toBe(first);
    await first;
  });

  it(`keeps at most ${LEAF_CACHE_SIZE} names, dropping the least recently used`, async () => {
    const leaves = new LeafContexts(temp.ca);
    const kept = leaves.contextFor('kept.twil.io');
    const dropped = leaves.contextFor('dropped.twil.io');
    const others: Promise<unknown>[] = [];
    for (let i = 0; i < LEAF_CACHE_SIZE - 1; i += 1) {
      others.push(leaves.contextFor(`site-${i}.twil.io`));
      // `kept` is used all along, so `dropped` is the oldest when the cache is full.
      if (i === LEAF_CACHE_SIZE - 3) expect(leaves.contextFor('kept.twil.io')).toBe(kept);
    }
    await Promise.all([kept, dropped, ...others]);
    expect(leaves.contextFor('kept.twil.io')).toBe(kept);
    const reissued = leaves.contextFor('dropped.twil.io');
    expect(reissued).not.toBe(dropped);
    await reissued;
  });
});
