// What the local site adds to the edge's checks before a request reaches the runtime's express app, whose body
// parsers answer malformed input with an HTML page and a stack trace, and whose event merges a
// parameter named `request` over the real headers. Every refusal is the product's JSON error.
import type { IncomingHttpHeaders } from 'node:http';

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

/**
 * Top-level parameter names that must never reach a Function: `request` replaces the headers in
 * the runtime's `event` (`request[headers][origin]=…` in the extended form/query syntax too), and
 * the prototype names are never data.
 */
function isReservedName(name: string): boolean {
  const top = name.split(/[[.]/, 1)[0];
  return top === 'request' || top === '__proto__' || top === 'constructor' || top === 'prototype';
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
