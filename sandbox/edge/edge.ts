// Twilio's edge: the one place that decides what a request to a Functions site gets (methods,
// body size, path → Function or Asset, visibility, signatures, the 10 s limit) before a runner
// runs anything. The deployed sites (sandbox/edge/deployed-sites.ts) and `npm start`'s local run
// (local/functions-server.ts) are both sites of an Edge.
import type { IncomingHttpHeaders } from 'node:http';
import { newSid } from '../sids';
import { edgeError, type EdgeAnswer } from './answers';
import { readHost, readTarget, type HostAndPort } from './request-target';
import type { FunctionMethod, FunctionRunner } from './runner';
import { checkSignature } from './signature-check';
import type { LogLevel, Visibility } from './site';

const FUNCTION_METHODS: readonly string[] = ['GET', 'POST', 'OPTIONS'] satisfies FunctionMethod[];

/** Functions answer GET, POST and OPTIONS only (runner.ts cites Twilio's page). */
function isFunctionMethod(method: string): method is FunctionMethod {
  return FUNCTION_METHODS.includes(method);
}
/** Twilio stops a Function at 10 s and answers 504 Gateway Time-out: https://www.twilio.com/docs/api/runtime/functions/function-request-flow */
const FUNCTION_TIMEOUT_MS = 10_000;
/** Request bodies up to 6 MB: the limit of Twilio's own runtime (@twilio/runtime-handler, DEFAULT_BODY_SIZE_LAMBDA = '6mb'). */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** What a path of a site is. */
export interface EdgeRoute {
  kind: 'function' | 'asset';
  visibility: Visibility;
}

/** A request as the edge reads it: nothing in it is trusted yet. */
export interface EdgeRequest {
  method: string;
  /** The request-target as sent (`/path?query`; anything else is refused). */
  target: string;
  headers: IncomingHttpHeaders;
  /** The body; undefined when it was over MAX_BODY_BYTES. */
  body: Buffer | undefined;
}

/** A request the edge has read: its URL is sound and belongs to the site. */
interface ReadRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One site the edge serves. */
export interface EdgeSite {
  /** Base URL the site is served at (scheme://authority), for reading the request-target. */
  baseUrl: string;
  routes: ReadonlyMap<string, EdgeRoute>;
  /** The bases (scheme://authority) a caller may have signed this request for. */
  signedBases: readonly string[];
  /** The account's Auth Token (and a secondary one during a rotation). */
  authTokens: ReadonlyArray<string | undefined>;
  /** The site's runner (a container starts on first use). */
  runner(): FunctionRunner;
  /** Checks a site adds before its Functions run (the local run's request boundary); a refusal, or undefined. */
  precheck?(request: ReadRequest): EdgeAnswer | undefined;
  /** Told of what the edge itself logs for an invocation (the 10 s limit). */
  log?(path: string, requestSid: string, level: LogLevel, message: string): void;
}

export interface EdgeOptions {
  /** The site a Host names, or undefined when the edge serves none there. */
  siteFor(host: HostAndPort): EdgeSite | undefined;
  /** Default FUNCTION_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Runs `run`, or answers 504 when it has not answered within `ms` (`onTimeout` gives the invocation up). */
async function withinLimit(run: Promise<EdgeAnswer>, ms: number, onTimeout: () => void): Promise<EdgeAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    const answer = await Promise.race([run, timeout]);
    if (answer !== 'timeout') return answer;
    onTimeout();
    // Twilio logs 82002 for it ("Your Function timed out before responding"): https://www.twilio.com/docs/api/errors/82002
    return edgeError(504, 'function_timeout', `runtime application timed out: the Function did not answer within ${ms} ms`);
  } catch (error) {
    // The runner failed (a container crashed): Twilio logs 82002 for any 5xx of a Function.
    return edgeError(502, 'function_failed', `The Function did not answer: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Answers requests to the sites `siteFor` knows, with Twilio's edge rules. Never throws. */
export class Edge {
  private readonly timeoutMs: number;

  constructor(private readonly options: EdgeOptions) {
    this.timeoutMs = options.timeoutMs ?? FUNCTION_TIMEOUT_MS;
  }

  async answer(request: EdgeRequest): Promise<EdgeAnswer> {
    try {
      return await this.decide(request);
    } catch (error) {
      return edgeError(500, 'edge_error', `The edge could not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async decide({ method, target, headers, body }: EdgeRequest): Promise<EdgeAnswer> {
    const host = readHost(headers.host);
    if (!host) return edgeError(400, 'invalid_host', 'The Host header is missing or malformed');
    const site = this.options.siteFor(host);
    if (!site) return edgeError(400, 'unknown_host', 'No site is served at this Host');
    const url = readTarget(target, site.baseUrl);
    if (!url) return edgeError(400, 'invalid_url', 'The request-target must be a path (origin-form) that parses as a URL');
    if (!isFunctionMethod(method)) return edgeError(405, 'method_not_allowed', 'Functions answer GET, POST and OPTIONS only');
    if (body === undefined) return edgeError(413, 'body_too_large', 'The request body is larger than 6 MB');
    const route = site.routes.get(url.pathname);
    // Private Functions and Assets "are not accessible by URL": https://www.twilio.com/docs/serverless/functions-assets/assets
    if (!route || route.visibility === 'private')
      return edgeError(404, 'not_found', `No Function or asset at ${url.pathname.slice(0, 100)}`);
    const read: ReadRequest = { method, url, headers, body };
    const refusal = site.precheck?.(read);
    if (refusal) return refusal;
    if (route.visibility === 'protected') {
      const verdict = checkSignature(
        read,
        site.signedBases.map((base) => base + target),
        site.authTokens,
      );
      if (!verdict.valid) {
        // 403, for protected Assets and Functions alike: a protected Asset without a valid signature
        // "will return a 403 error" (https://www.twilio.com/docs/serverless/functions-assets/assets), and
        // so does a protected Function ("the function will return a 403 error",
        // https://support.twilio.com/hc/en-us/articles/43430648191259-How-to-Access-a-Protected-Function-From-Outside-of-Twilio;
        // also seen in twilio-labs' plugin-dialpad issue #25). The older request-flow page says 400.
        return edgeError(403, 'invalid_signature', `Twilio signature check failed: ${verdict.reason}`);
      }
    }
    const runner = site.runner();
    const requestSid = newSid('RQ');
    return withinLimit(runner.run({ method, target, headers, body, requestSid }), this.timeoutMs, () => {
      site.log?.(url.pathname, requestSid, 'error', `82002 runtime application timed out after ${this.timeoutMs} ms`);
      runner.abandon(requestSid);
    });
  }
}
