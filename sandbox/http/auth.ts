import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKey } from '../options';

export interface Credentials {
  username: string;
  password: string;
}

/** The user name and password of an `Authorization: Basic …` header, if well formed. */
export function parseBasicAuth(headers: IncomingHttpHeaders): Credentials | null {
  const header = headers.authorization;
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What authenticated a request: the Auth Token, a Main API key or a Standard one. */
export type Credential = 'auth-token' | 'main-key' | 'standard-key';

/** Accepts the account SID + auth token, or an API key SID + its secret, and says which it was. */
export class Authenticator {
  private readonly keys: Map<string, ApiKey>;

  constructor(
    private readonly accountSid: string,
    private readonly authToken: string,
    apiKeys: readonly ApiKey[] = [],
  ) {
    this.keys = new Map(apiKeys.map((key) => [key.sid, key]));
  }

  /** Which credential the request carries, or `null` when it does not authenticate. */
  credentialOf(credentials: Credentials | null): Credential | null {
    if (!credentials) return null;
    const { username, password } = credentials;
    if (username === this.accountSid) return safeEqual(password, this.authToken) ? 'auth-token' : null;
    const key = this.keys.get(username);
    if (key === undefined || !safeEqual(password, key.secret)) return null;
    return key.type === 'main' ? 'main-key' : 'standard-key';
  }
}
