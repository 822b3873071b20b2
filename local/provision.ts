import { provisionSyncMaps } from '../src/lib/stores/provision';
import type { TwilioClient } from '../src/lib/twilio/sdk';

type Env = Readonly<Record<string, string | undefined>>;

/** Creates the Sync maps the stores use (those missing) in the env's Sync service; one line to print. */
export async function provisionFor(client: TwilioClient, env: Env): Promise<string> {
  const service = env.SYNC_SERVICE_SID || 'default';
  const { created, existing } = await provisionSyncMaps(client, service);
  return `Sync maps in ${service}: ${created.length} created, ${existing} already there`;
}
