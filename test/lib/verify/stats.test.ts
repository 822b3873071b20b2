import { startSandbox, type Sandbox } from '../../../sandbox';
import { readSettings } from '../../../src/lib/config/settings';
import { AppError } from '../../../src/lib/errors/app-error';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { createStores, type Stores } from '../../../src/lib/stores';
import { createTwilioClient } from '../../../src/lib/twilio/client';
import type { TwilioClient } from '../../../src/lib/twilio/sdk';
import { boundDay, countRefusalsAs, readVerifyStats } from '../../../src/lib/verify/stats';

const accountSid = 'AC' + '7'.repeat(32);
const authToken = 'verify-stats-test-token-0000000000';
/** Sync's limit on an item's data (https://www.twilio.com/docs/sync/api/map-item-resource), which the sandbox enforces (54006). */
const SYNC_ITEM_BYTES = 16 * 1024;

let sandbox: Sandbox;
let client: TwilioClient;
let stores: Stores;
beforeAll(async () => {
  sandbox = await startSandbox({ accountSid, authToken });
  client = createTwilioClient({ accountSid, authToken, sandboxUrl: sandbox.url });
  stores = createStores(client, readSettings({}), Deadline.in(60_000));
});
afterAll(() => sandbox.close());

describe("Verify's day counter stays under Sync's 16 KiB item limit", () => {
  it('boundDay keeps the largest reasons per family and adds the rest into other, totals unchanged', () => {
    const counts = {
      approved: 3,
      'refused:a': 5,
      'refused:b': 1,
      ...Object.fromEntries(Array.from({ length: 14 }, (_, index) => [`refused:r${index}`, 2])),
      '13|r:x': 9,
      '13|r:y': 1,
      '13|r:z': 4,
      '13|r:w': 3,
      '13|r:other': 2,
    };
    const bounded = boundDay(counts);
    expect(bounded.approved).toBe(3);
    expect(bounded['refused:a']).toBe(5);
    expect(Object.keys(bounded).filter((name) => name.startsWith('refused:'))).toHaveLength(13);
    // 16 reasons of which 12 kept: b (1) and three of the 2s fold into other.
    expect(bounded['refused:other']).toBe(1 + 3 * 2);
    expect([bounded['13|r:x'], bounded['13|r:z'], bounded['13|r:w'], bounded['13|r:other']]).toEqual([9, 4, 3, 3]);
    const total = (record: Record<string, number>, prefix: string) =>
      Object.entries(record)
        .filter(([name]) => name.startsWith(prefix))
        .reduce((sum, [, value]) => sum + value, 0);
    for (const family of ['refused:', '13|r:']) expect(total(bounded, family)).toBe(total(counts, family));
  });

  it('a day filled with refusals of 40 long reasons in every hour is written and stays under 16 KiB', async () => {
    const today = new Date();
    const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    const reasons = Array.from({ length: 40 }, (_, index) => `reason_${String(index).padStart(2, '0')}_${'x'.repeat(40)}`);
    const refusal = countRefusalsAs('refused');
    const failedCheck = countRefusalsAs('check_failed');
    for (let hour = 0; hour < 24; hour++) {
      for (const reason of reasons) {
        const at = midnight + hour * 3_600_000 + 60_000;
        await refusal({ stores }, new AppError(400, reason, 'refused'), at);
        await failedCheck({ stores }, new AppError(400, reason, 'refused'), at);
      }
    }
    // Refusals are written in batches to one shard (125 a batch): every one of them reached it.
    const day = new Date(midnight).toISOString().slice(0, 10);
    const items = await Promise.all(Array.from({ length: 8 }, (_, shard) => storedItem(`verify-stats-${shard}`, day)));
    const sizes = items.filter((item) => item !== undefined).map((item) => Buffer.byteLength(JSON.stringify(item)));
    expect(sizes.length).toBeGreaterThan(0);
    for (const size of sizes) expect(size).toBeLessThan(SYNC_ITEM_BYTES);
    const stats = await readVerifyStats(stores, 24, new Date(midnight + 23 * 3_600_000 + 120_000));
    const sum = (record: Record<string, number>) => Object.values(record).reduce((total, value) => total + value, 0);
    // Every refusal counted once, whether written or still waiting for its batch in this process (counted on read too).
    expect(sum(stats.today.refused)).toBe(24 * 40);
    expect(sum(stats.today.checkFailed)).toBe(24 * 40);
    expect(Object.keys(stats.today.refused)).toContain('other');
    for (const hour of stats.hours) expect(sum(hour.refused)).toBe(40);
  });
});

/** A counter item's data as Sync holds it, or undefined when there is none. */
async function storedItem(map: string, key: string): Promise<unknown> {
  try {
    return (await client.sync.v1.services('default').syncMaps(map).syncMapItems(key).fetch()).data;
  } catch {
    return undefined;
  }
}
