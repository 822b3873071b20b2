// What the local site adds to the edge's checks before a request reaches the runtime's express app, whose body
// parsers answer malformed input with an HTML page and a stack trace, and whose event merges a
// parameter named `request` over the real headers. Every refusal is the product's JSON error.
import type { IncomingHttpHeaders } from 'node:http';
import { MAX_NESTING } from '../src/lib/http/params';

/** express's own default; past it the body parser throws. */
const MAX_PARAMETERS = 1000;
/** Functions answer only these methods. */
const METHODS = new Set(['GET', 'POST', 'OPTIONS']);

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

const refuse = (status: number, code: string, message: string): Refusal => ({ status, code, message });

const RESERVED = new Set(['request', '__proto__', 'constructor', 'prototype']);

/**
 * Top-level parameter names that must never reach a Function: `request` replaces the headers in
 * the runtime's `event`, and the prototype names are never data. A name is judged by its first
 * segment as the runtime's query parser (qs, express's "extended" parser) reads it, leading
 * brackets included: qs reads `[request][headers][x]` as `request` → `headers` → `x`, and
 * `request[`, `request.x` (dots, should `allowDots` ever be on) too. So every leading `[` or `]` is
 * dropped and the name ends at its first `[`, `]` or `.`; a name such as `[]request` that qs files
 * elsewhere is refused as well, which costs a caller nothing.
 */
function isReservedName(name: string): boolean {
  return RESERVED.has(name.replace(/^[[\]]+/, '').split(/[[\].]/, 1)[0]);
}

function checkNames(names: string[], where: string): Refusal | undefined {
  if (names.length > MAX_PARAMETERS) return refuse(413, 'too_many_parameters', `The ${where} has more than ${MAX_PARAMETERS} parameters`);
  const reserved = names.find(isReservedName);
  if (reserved !== undefined) return refuse(400, 'reserved_parameter', `"${reserved.slice(0, 40)}" is a reserved parameter name`);
  return undefined;
}

/** The media type and its charset, lower-cased, from a Content-Type header. */
function mediaType(header: string | undefined): { type: string; charset?: string } {
  const [type = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  return { type, charset };
}

/**
 * Whether a JSON text nests deeper than `max` arrays and objects, read in one pass over its
 * characters and stopped at the first level too deep: the parse (and every walk after it) never
 * starts on a body a million levels deep.
 */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index += 1; // a backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return false;
}

/** Names in a query string or form body, counted without building the objects express would. */
function formNames(text: string): string[] {
  return text === ''
    ? []
    : text
        .split('&')
        .filter(Boolean)
        .map((pair) => {
          const name = pair.split('=', 1)[0].replace(/\+/g, ' ');
          try {
            return decodeURIComponent(name);
          } catch {
            return name;
          }
        });
}

/**
 * Checks a request's method, query and body the way the product wants callers answered: a JSON
 * 4xx for anything the runtime would otherwise answer with HTML or silently drop. Returns the
 * refusal, or undefined when the request may go on.
 */
export function checkRequest(method: string, url: URL, headers: IncomingHttpHeaders, body: Buffer): Refusal | undefined {
  if (!METHODS.has(method)) return refuse(405, 'method_not_allowed', 'Functions answer GET, POST and OPTIONS only');
  const queryProblem = checkNames(formNames(url.search.slice(1)), 'query string');
  if (queryProblem) return queryProblem;
  if (body.length === 0) return undefined;

  const encoding = (headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') return refuse(415, 'unsupported_encoding', 'Send the body without Content-Encoding');
  const { type, charset } = mediaType(headers['content-type']);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    return refuse(415, 'unsupported_charset', 'Send the body in UTF-8');
  const text = body.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return checkNames(formNames(text), 'form body');
  if (type === 'application/json') {
    if (nestsDeeperThan(text, MAX_NESTING))
      return refuse(400, 'too_deeply_nested', `The JSON body nests more than ${MAX_NESTING} levels deep`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return refuse(400, 'invalid_json', 'The body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return refuse(400, 'invalid_json', 'The JSON body must be an object');
    return checkNames(Object.keys(parsed), 'JSON body');
  }
  return refuse(415, 'unsupported_media_type', 'Send application/json or application/x-www-form-urlencoded');
}

/** What a request line may show in a log: the path and the parameter names, never their values. */
export function loggedTarget(url: URL): string {
  const names = [...new Set(formNames(url.search.slice(1)))].slice(0, 20).map((name) => name.slice(0, 40));
  return names.length === 0 ? url.pathname.slice(0, 200) : `${url.pathname.slice(0, 200)}?${names.map((name) => `${name}=…`).join('&')}`;
}
