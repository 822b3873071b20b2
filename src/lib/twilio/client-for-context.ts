import { AppError } from '../errors/app-error';
import type { Settings } from '../config/settings';
import { createTwilioClient } from './client';
import type { TwilioClient } from './sdk';

/** What the runtime offers: its own pre-configured client (typed loosely by the runtime types). */
export interface ClientSource {
  getTwilioClient?: (options?: object) => unknown;
}

const clients = new Map<string, TwilioClient>();

/**
 * The one place that decides which Twilio a route talks to:
 * - `TWILIO_SANDBOX_URL` set → the local sandbox, through twilio-node's `httpClient` option;
 * - `API_KEY` + `API_SECRET` set → an API-key client for ACCOUNT_SID;
 * - otherwise → the runtime's `context.getTwilioClient()`.
 * Clients are reused across invocations of a warm container so sockets stay alive.
 */
export function twilioClientFor(settings: Settings, context: ClientSource): TwilioClient {
  const { accountSid, authToken, apiKey, apiSecret, sandboxUrl } = settings;
  const useOwnClient = Boolean(sandboxUrl) || Boolean(apiKey && apiSecret);
  if (!useOwnClient) {
    if (!context.getTwilioClient) throw new AppError(500, 'not_configured', 'No Twilio credentials are configured');
    return context.getTwilioClient() as TwilioClient;
  }
  if (!accountSid) throw new AppError(500, 'not_configured', 'ACCOUNT_SID is not set');
  const key = [accountSid, authToken, apiKey, apiSecret, sandboxUrl].join('\u0000');
  let client = clients.get(key);
  if (!client) {
    client = createTwilioClient({ accountSid, authToken, apiKey, apiSecret, sandboxUrl });
    clients.set(key, client);
  }
  return client;
}
