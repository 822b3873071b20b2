import { json, type Router } from '../http/router';
import { parseItemData, type SyncMapItems } from '../sync/items';
import type { SyncMaps } from '../sync/maps';
import type { SyncServices } from '../sync/services';
import { ControlError, parseJsonObject, requireString } from './errors';

export interface SyncSeedDeps {
  services: SyncServices;
  maps: SyncMaps;
  items: SyncMapItems;
}

/** The most items one seeding request writes (its body is read up to 1 MB anyway). */
const MAX_SEED_ITEMS = 10_000;

/** One `{ key, data, ttl? }` of a seeding request, checked as the Sync API checks an item. */
function readSeedItem(value: unknown, index: number): { key: string; data: unknown; ttl?: number } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ControlError(400, 'invalid_request', `items[${index}] must be { key, data, ttl? }`);
  const { key, data, ttl } = value as Record<string, unknown>;
  if (typeof key !== 'string') throw new ControlError(400, 'invalid_request', `items[${index}].key must be a string`);
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0))
    throw new ControlError(400, 'invalid_request', `items[${index}].ttl must be a whole number of seconds`);
  // The same 16 KiB and JSON-object rules as a create through the API (54006, 54008).
  return { key, data: parseItemData(JSON.stringify(data ?? null)), ...(ttl === undefined ? {} : { ttl }) };
}

/**
 * `POST /_sandbox/sync/items` `{ service?, map, items: [{ key, data, ttl? }] }`: writes up to
 * 10,000 Map Items at once, creating the map (by unique name) when it is missing and replacing an
 * item that exists. Not a Twilio API: a test facility, to give a store the items a service would
 * have written over days (100,000 messages, say) in seconds. It takes no part of the per-map write
 * limit and is not in the request log; what the product reads afterwards is. Answers
 * `{ map, written }`.
 */
export function addSyncSeedRoutes(router: Router, { services, maps, items }: SyncSeedDeps): void {
  router.post('/sync/items', (req) => {
    const body = parseJsonObject(req.rawBody);
    const mapName = requireString(body, 'map');
    const serviceName = typeof body.service === 'string' ? body.service : 'default';
    if (!Array.isArray(body.items) || body.items.length > MAX_SEED_ITEMS)
      throw new ControlError(400, 'invalid_request', `"items" must be an array of at most ${MAX_SEED_ITEMS} items`);
    const seeded = body.items.map(readSeedItem);
    const service = services.resolve(serviceName);
    const map = maps.findByName(service, mapName) ?? maps.create(service, { uniqueName: mapName, ttl: undefined });
    for (const item of seeded) items.seed(map, item.key, item.data, item.ttl);
    return json(200, { map: mapName, written: seeded.length });
  });
}
