import type { TwilioClient } from '../../src/lib/twilio/sdk';

/** Every number with an SMS opt-out in the product's Sync maps (the shards of `optouts`), read straight from Sync. */
export async function optedOutNumbers(client: TwilioClient): Promise<Set<string>> {
  const service = client.sync.v1.services('default');
  const maps = (await service.syncMaps.list({ limit: 100 })).filter((map) => map.uniqueName.startsWith('optouts'));
  const items = await Promise.all(maps.map((map) => service.syncMaps(map.sid).syncMapItems.list({ pageSize: 1000 })));
  return new Set(
    items
      .flat()
      .filter((item) => (item.data as { optedOut?: boolean }).optedOut === true)
      .map((item) => item.key),
  );
}
