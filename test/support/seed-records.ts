import { readSettings } from '../../src/lib/config/settings';
import { Deadline } from '../../src/lib/runtime/deadline';
import { createStores } from '../../src/lib/stores';
import type { MessageRecord } from '../../src/lib/stores/messages';
import { syncKey } from '../../src/lib/stores/sync-key';
import type { SyncMapStore } from '../../src/lib/stores/sync-map-store';
import type { TwilioClient } from '../../src/lib/twilio/sdk';

/** Items per seeding request: about 300 bytes each keeps a request under the control plane's 1 MB body. */
const ITEMS_PER_REQUEST = 3_000;
const DAY = 86_400;

/** Writes items into a map of the sandbox's default Sync service in one control request (`POST /_sandbox/sync/items`). */
async function seedItems(sandboxUrl: string, map: string, items: Array<{ key: string; data: object; ttl?: number }>): Promise<void> {
  const answer = await fetch(`${sandboxUrl}/_sandbox/sync/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ map, items }),
  });
  if (answer.status !== 200) throw new Error(`seeding ${map} answered ${answer.status}: ${await answer.text()}`);
}

/** The product's map store named `name` (as createStores lays it out: its shards and key encoding). */
function productStore(client: TwilioClient, name: string): SyncMapStore<object> {
  let found: SyncMapStore<object> | undefined;
  createStores(client, readSettings({}), Deadline.in(1_000), (store) => {
    if (store.mapNames()[0] === `${name}-0`) found = store;
  });
  if (!found) throw new Error(`no store named ${name}`);
  return found;
}

/**
 * Seeds what the status callbacks of `count` delivered messages (numbered from `first`) would
 * have left in Sync, in bulk and in seconds: one record per message in the `messages-<n>` maps
 * (the shard the product hashes its SID to), and the delivery counters of `hour`
 * (`2026-12-07T10`), set to `total` messages queued, sent and delivered there (one counter shard
 * holds them). Items are written by the sandbox's control plane, so neither Sync's write limit nor
 * the request log sees them; what the product reads afterwards, they do.
 */
export async function seedDeliveredMessages(
  sandboxUrl: string,
  client: TwilioClient,
  { first, count, hour, total }: { first: number; count: number; hour: string; total: number },
): Promise<void> {
  const messages = productStore(client, 'messages');
  const at = `${hour}:30:00.000Z`;
  const byMap = new Map<string, Array<{ key: string; data: MessageRecord; ttl: number }>>();
  for (let index = first; index < first + count; index++) {
    const sid = `SM${index.toString(16).padStart(32, '0')}`;
    const key = syncKey(sid);
    const record: MessageRecord = {
      sid,
      to: `+1206555${String(index % 10_000).padStart(4, '0')}`,
      status: 'delivered',
      history: [{ status: 'delivered', at }],
      steps: { queued: hour, sent: hour },
    };
    const map = messages.mapNameFor(key);
    const items = byMap.get(map) ?? [];
    items.push({ key, data: record, ttl: 30 * DAY });
    byMap.set(map, items);
  }
  const requests = [...byMap].flatMap(([map, items]) =>
    Array.from(
      { length: Math.ceil(items.length / ITEMS_PER_REQUEST) },
      (_, part) => () => seedItems(sandboxUrl, map, items.slice(part * ITEMS_PER_REQUEST, (part + 1) * ITEMS_PER_REQUEST)),
    ),
  );
  // A few requests at a time: the sandbox shares the machine with the Functions and the browser.
  for (let next = 0; next < requests.length; next += 4) await Promise.all(requests.slice(next, next + 4).map((seed) => seed()));
  // The last of the 8 `stats-<n>` counter shards (src/lib/stores/index.ts): the hour's sum is what is read.
  await seedItems(sandboxUrl, 'stats-7', [
    { key: syncKey(hour), data: { queued: total, sent: total, delivered: total, [`settled:${hour}`]: total }, ttl: 2 * DAY },
  ]);
}
