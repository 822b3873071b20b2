import { provisionSyncMaps } from '../src/lib/stores/provision';
import type { TwilioClient } from '../src/lib/twilio/sdk';
import { provisionConversations } from './conversations';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Creates the Sync maps the stores use (those missing) in the env's Sync service, and, when
 * Conversations is on (unless the caller provisions it itself, as `npm start` does once its server
 * listens), its Address Configurations (and its webhooks, given PUBLIC_BASE_URL or `baseUrl`); the
 * lines to print.
 */
export async function provisionFor(
  client: TwilioClient,
  env: Env,
  baseUrl = env.PUBLIC_BASE_URL,
  { conversations: withConversations = true } = {},
): Promise<string> {
  const service = env.SYNC_SERVICE_SID || 'default';
  const { created, existing } = await provisionSyncMaps(client, service);
  const conversations = withConversations ? await provisionConversations(client, env, baseUrl || undefined) : [];
  return [`Sync maps in ${service}: ${created.length} created, ${existing} already there`, ...conversations].join('\n');
}
