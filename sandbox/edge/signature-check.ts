// Twilio's check of X-Twilio-Signature for a `protected` Function, in one place for the deployed
// sites and the local run. The algorithm (Twilio's "Webhooks security" page,
// https://www.twilio.com/docs/usage/webhooks/webhooks-security): HMAC-SHA1 with the Auth Token
// over the full URL followed by the POST parameters sorted by name; for a JSON body the URL
// carries `bodySHA256` (hex SHA-256 of the body) and is signed alone.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bodySha256, computeSignature } from '../webhooks/signature';

/** A request as it reached the edge. */
export interface SignedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type SignatureVerdict = { valid: true } | { valid: false; reason: string };

/** The form's parameters by name; a prototype-less object, so `hasOwnProperty=…` or `__proto__=…` is a parameter like any other. */
function formParams(body: Buffer): Record<string, string[]> {
  const params = Object.create(null) as Record<string, string[]>;
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) (params[key] ??= []).push(value);
  return params;
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether `signature` signs `url` (+ the form parameters, or the JSON body's hash) with `token`. */
function signs(token: string, signature: string, url: string, request: SignedRequest): boolean {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const bodyHash = new URLSearchParams(query).get('bodySHA256');
  if (bodyHash !== null)
    return bodyHash === bodySha256(request.body.toString('utf8')) && sameSignature(computeSignature(token, url), signature);
  // Media types are case-insensitive and may carry parameters (RFC 9110 §8.3.1): `APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8` is a form.
  const mediaType = (request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  const isForm = mediaType === 'application/x-www-form-urlencoded';
  // Any other body is signed only through `bodySHA256` ("For application/json requests, Twilio also includes a
  // bodySHA256 query parameter": https://www.twilio.com/docs/api/errors/57012): a signature over the URL alone covers none of it.
  // A GET carries its parameters in the (signed) URL: Twilio sends no GET with a body, which the runtime would still parse.
  if (request.body.length > 0 && !(request.method === 'POST' && isForm)) return false;
  const params = request.method === 'POST' && isForm ? formParams(request.body) : {};
  return sameSignature(computeSignature(token, url, params), signature);
}

/**
 * Checks X-Twilio-Signature against each URL the caller may have signed, as the caller wrote it
 * (the https URL of a deployed domain; locally the URL used or PUBLIC_BASE_URL), with each token
 * (the Auth Token, and a secondary one during a rotation).
 */
export function checkSignature(
  request: SignedRequest,
  urls: readonly string[],
  tokens: ReadonlyArray<string | undefined>,
): SignatureVerdict {
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || signature === '') return { valid: false, reason: 'missing X-Twilio-Signature' };
  const usable = tokens.filter((token): token is string => Boolean(token));
  if (usable.length === 0) return { valid: false, reason: 'AUTH_TOKEN is not set, so no signature can be checked' };
  const valid = usable.some((token) => urls.some((url) => signs(token, signature, url, request)));
  return valid ? { valid: true } : { valid: false, reason: 'invalid X-Twilio-Signature' };
}
