import { isRetryableTwilioError } from '../errors/twilio-errors';
import { Deadline } from '../runtime/deadline';
import { retryWithin } from '../runtime/retry';
import type { TwilioClient } from '../twilio/sdk';
import { createStores } from './index';
import { SYNC, hasCode } from './sync-codes';

/** Every Sync map the stores use, in the layout `createStores` gives them. */
export function syncMapNames(client: TwilioClient, syncServiceSid: string): string[] {
  const names: string[] = [];
  createStores(client, { syncServiceSid, phiMode: false }, Deadline.in(0), (store) => names.push(...store.mapNames()));
  return [...new Set(names)].sort();
}

export interface ProvisionResult {
  created: string[];
  existing: number;
}

/** Maps created at once; Sync rate-limits per object, and map creation writes to the service. */
const CONCURRENCY = 8;

/**
 * Creates the Sync maps the stores use before any request needs them, so no route pays for a
 * "map not found, create it, try again" detour (three extra round trips on the first write to each
 * map). Idempotent: the service's maps are listed first and only missing ones are created; a map
 * someone else created meanwhile (54301) counts as existing. The stores still create a missing map
 * on first use, so a map deleted later is a slower request, not a failure.
 */
export async function provisionSyncMaps(client: TwilioClient, syncServiceSid: string, budgetMs = 120_000): Promise<ProvisionResult> {
  const deadline = Deadline.in(budgetMs);
  const retrying = <T>(work: () => Promise<T>) => retryWithin(work, { deadline, retryable: isRetryableTwilioError });
  const service = client.sync.v1.services(syncServiceSid);
  const present = new Set((await retrying(() => service.syncMaps.list({ pageSize: 1000 }))).map((map) => map.uniqueName));
  const wanted = syncMapNames(client, syncServiceSid);
  const missing = wanted.filter((name) => !present.has(name));
  const created: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < missing.length) {
      const name = missing[next++];
      try {
        await retrying(() => service.syncMaps.create({ uniqueName: name }));
        created.push(name);
      } catch (error) {
        if (!hasCode(error, SYNC.uniqueNameExists)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, missing.length) }, worker));
  return { created: created.sort(), existing: wanted.length - created.length };
}
