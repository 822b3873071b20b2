import type { IncomingHttpHeaders } from 'node:http';
import type { Credential } from './auth';

/** What a route handler sees of a request. */
export interface ApiRequest {
  method: string;
  /** Path inside the host, e.g. `/2010-04-01/Accounts/AC…/Messages.json`. */
  path: string;
  /** Named path segments, already URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Form-encoded body parameters (empty for other content types). */
  form: URLSearchParams;
  /** The raw body text (JSON control-plane requests read it). */
  rawBody: string;
  /** The raw body bytes (multipart uploads read them). */
  bodyBytes: Buffer;
  headers: IncomingHttpHeaders;
  /** What authenticated an API request (absent on the control plane). */
  credential?: Credential;
}

export interface ApiResponse {
  status: number;
  /** Serialized as JSON (a Buffer is sent as it is, with the Content-Type of `headers`); omitted for 204. */
  body?: unknown;
  /** Extra response headers (e.g. Sync's `ETag`, a redirect's `Location`). */
  headers?: Record<string, string>;
}

export type RouteHandler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

export type RouteMatch =
  { kind: 'found'; handler: RouteHandler; params: Record<string, string> } | { kind: 'method-not-allowed' } | { kind: 'not-found' };

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

/**
 * Compiles `/Accounts/:AccountSid/Messages/:Sid.json` to an anchored regular expression with
 * named groups; a parameter matches one path segment, up to any literal suffix.
 */
function compile(pattern: string): RegExp {
  const source = pattern
    .split(/(:[A-Za-z]+)/)
    .map((part) => (part.startsWith(':') ? `(?<${part.slice(1)}>[^/]+?)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed percent-encoding: take it literally
  }
}

/** A method + path-pattern table. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method, pattern: compile(pattern), handler });
    return this;
  }

  get(pattern: string, handler: RouteHandler): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: RouteHandler): this {
    return this.add('POST', pattern, handler);
  }

  delete(pattern: string, handler: RouteHandler): this {
    return this.add('DELETE', pattern, handler);
  }

  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(match.groups ?? {})) params[name] = decodeSegment(value);
      return { kind: 'found', handler: route.handler, params };
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}

/**
 * One emulated Twilio host (`api.twilio.com`, `sync.twilio.com`, …): served under
 * `/<subdomain>/…`, which is where the sandbox-aware twilio-node client sends its requests.
 */
export interface TwilioHost {
  subdomain: string;
  router: Router;
  /** The largest request body this host reads (default 1 MiB): upload hosts take more. */
  maxBodyBytes?: number;
}

export function json(status: number, body: unknown): ApiResponse {
  return { status, body };
}

export const noContent: ApiResponse = { status: 204 };
