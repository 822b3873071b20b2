import type RequestClient from 'twilio/lib/base/RequestClient';
import { twilioSdk, type TwilioClient } from './sdk';

/** Everything that decides which Twilio a client talks to. */
export interface TwilioCredentials {
  accountSid: string;
  /** Auth token; not needed when an API key is given. */
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Base URL of the local sandbox; unset means real Twilio. */
  sandboxUrl?: string;
}

/**
 * Maps `https://<sub>.twilio.com/<path>` to `<sandboxUrl>/<sub>/<path>`, keeping the query.
 * Any other URL is returned unchanged.
 */
export function toSandboxUri(uri: string, sandboxUrl: string): string {
  const match = /^https:\/\/([a-z0-9-]+)(?:\.[a-z0-9-]+)*?\.twilio\.com(\/.*)?$/i.exec(uri);
  if (!match) return uri;
  const subdomain = match[1].toLowerCase();
  return `${sandboxUrl.replace(/\/+$/, '')}/${subdomain}${match[2] ?? '/'}`;
}

/** twilio-node's documented `httpClient` seam: the same requests, sent to the sandbox. */
function sandboxHttpClient(sandboxUrl: string): RequestClient {
  const Base = twilioSdk().RequestClient;
  class SandboxRequestClient extends Base {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      return super.request({ ...opts, uri: toSandboxUri(opts.uri, sandboxUrl) });
    }
  }
  return new SandboxRequestClient({ keepAlive: true });
}

/**
 * Builds a twilio-node client for the given credentials: API key + secret when both are set,
 * else account SID + auth token; pointed at the sandbox when `sandboxUrl` is set.
 */
export function createTwilioClient(credentials: TwilioCredentials): TwilioClient {
  const { accountSid, authToken, apiKey, apiSecret, sandboxUrl } = credentials;
  const useKey = Boolean(apiKey && apiSecret);
  const username = useKey ? apiKey : accountSid;
  const password = useKey ? apiSecret : authToken;
  if (!username || !password) {
    throw new Error('Twilio credentials are incomplete: set AUTH_TOKEN, or API_KEY and API_SECRET');
  }
  return new (twilioSdk().Twilio)(username, password, {
    accountSid,
    lazyLoading: true,
    ...(sandboxUrl ? { httpClient: sandboxHttpClient(sandboxUrl) } : {}),
  });
}
