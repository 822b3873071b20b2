import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackName } from '../http/loopback';
import { ControlError } from './errors';

/**
 * What keeps the unauthenticated control plane (and the console that drives it) usable only from
 * this machine's own pages, never from another site open in the same browser:
 *
 * - **Host**: the request must name this sandbox by a loopback name or the address it is bound to
 *   (a page on evil.example that rebinds its DNS to 127.0.0.1 still sends `Host: evil.example`).
 *   Skipped when the sandbox listens on every interface (`0.0.0.0` / `::`), where any name can
 *   reach it by design.
 * - **Same origin** for anything that changes state: an `Origin` header must be this sandbox's own
 *   origin, and `Sec-Fetch-Site: cross-site` is refused.
 * - **JSON only** for POST: `Content-Type: application/json`. A cross-site page can send a form or
 *   `text/plain` POST without asking, but a JSON one needs a CORS preflight, which the sandbox never
 *   grants (it sends no `Access-Control-Allow-*` header on any route).
 */
export interface BrowserGuardOptions {
  /** The address the server is bound to (e.g. `127.0.0.1`). */
  boundHost: string;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);
const SAFE_METHODS = new Set(['GET', 'HEAD']);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The hostname of a Host header (`localhost:3001` → `localhost`, `[::1]:3001` → `[::1]`). */
function hostnameOf(host: string): string {
  const bracketed = /^(\[[^\]]+\])(?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1].toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType.trim());
}

/** Why a request may come from another site's page (a foreign Host, as after DNS rebinding, or a cross-site origin), or undefined. */
export function foreignRequestReason(
  method: string,
  headers: IncomingHttpHeaders,
  options: BrowserGuardOptions,
): { code: 'forbidden_host' | 'cross_origin'; message: string } | undefined {
  const host = header(headers, 'host') ?? '';
  const bound = options.boundHost.toLowerCase();
  if (!WILDCARD_HOSTS.has(bound)) {
    const name = hostnameOf(host);
    if (!isLoopbackName(name) && name !== bound && name !== `[${bound}]`) {
      return { code: 'forbidden_host', message: `The sandbox answers only to its own address, not to Host: ${host.slice(0, 100)}` };
    }
  }
  if (SAFE_METHODS.has(method)) return undefined;
  const origin = header(headers, 'origin');
  if (origin !== undefined && origin !== `http://${host}`) {
    return {
      code: 'cross_origin',
      message: `Requests from ${origin.slice(0, 100)} are refused: the sandbox takes requests from its own pages only`,
    };
  }
  if (header(headers, 'sec-fetch-site') === 'cross-site') return { code: 'cross_origin', message: 'Cross-site requests are refused' };
  return undefined;
}

/** Throws the ControlError a browser-facing request deserves, or returns when it may proceed. */
export function guardBrowserRequest(method: string, headers: IncomingHttpHeaders, options: BrowserGuardOptions): void {
  const foreign = foreignRequestReason(method, headers, options);
  if (foreign) throw new ControlError(403, foreign.code, foreign.message);
  if (method === 'POST' && !isJson(header(headers, 'content-type'))) {
    throw new ControlError(415, 'unsupported_media_type', 'The control plane takes JSON bodies only (Content-Type: application/json)');
  }
}
