import type { IncomingHttpHeaders } from 'node:http';
import { validateRequest, validateRequestWithBody } from 'twilio';

/** A request as it reached the gateway, body unread by anyone else. */
export interface RawRequest {
  method: string;
  /** Absolute URL the caller used (what Twilio signed). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type GateVerdict = { allowed: true } | { allowed: false; reason: string };

function formParams(body: Buffer): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const existing = params[key];
    params[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return params;
}

/**
 * What Twilio's gateway does for a `protected` Function, done locally with the twilio library:
 * a form webhook is checked over URL + POST parameters, a JSON webhook over URL (with its
 * `bodySHA256`) + the body's hash. `authTokens` is AUTH_TOKEN, plus AUTH_TOKEN_SECONDARY during
 * an Auth Token rotation: a signature made with either is accepted.
 */
export function checkTwilioSignature(request: RawRequest, authTokens: string | ReadonlyArray<string | undefined> | undefined): GateVerdict {
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || signature === '') {
    return { allowed: false, reason: 'missing X-Twilio-Signature' };
  }
  const tokens = (typeof authTokens === 'string' ? [authTokens] : (authTokens ?? [])).filter((token): token is string => Boolean(token));
  if (tokens.length === 0) return { allowed: false, reason: 'AUTH_TOKEN is not set, so no signature can be checked' };
  const hasBodyHash = new URL(request.url).searchParams.has('bodySHA256');
  const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const params = request.method === 'POST' && isForm ? formParams(request.body) : {};
  const validWith = (token: string) =>
    hasBodyHash
      ? validateRequestWithBody(token, signature, request.url, request.body.toString('utf8'))
      : validateRequest(token, signature, request.url, params);
  return tokens.some(validWith) ? { allowed: true } : { allowed: false, reason: 'invalid X-Twilio-Signature' };
}
