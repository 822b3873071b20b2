import type { IncomingMessage } from 'node:http';
import { badRequest, TwilioApiError } from './errors';

/** Largest request body the sandbox reads (Twilio rejects far smaller ones anyway). */
const MAX_BODY_BYTES = 1024 * 1024;

/** 20413, the answer to a body larger than the host accepts. */
function tooLarge(): TwilioApiError {
  return new TwilioApiError(413, 20413, 'Request entity is larger than limits defined by the server');
}

/**
 * Reads the whole request body as bytes, refusing (413) as soon as it exceeds `maxBytes`: a
 * declared Content-Length over the limit is refused before reading anything.
 */
export function readBodyBytes(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(tooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Parses an `application/x-www-form-urlencoded` body, as twilio-node sends it (arrays as
 * repeated keys, e.g. `MediaUrl=a&MediaUrl=b`).
 */
export function parseForm(body: string): URLSearchParams {
  return new URLSearchParams(body);
}

/** An optional integer form parameter; a non-integer value is a 400. */
export function intParam(form: URLSearchParams, name: string): number | undefined {
  const raw = form.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(20001, `Invalid ${name}: "${raw}" is not an integer`);
  return Number(raw);
}

/** An optional boolean form parameter (`true`/`false`, any case). */
export function boolParam(form: URLSearchParams, name: string): boolean | undefined {
  const raw = form.get(name);
  if (raw === null || raw === '') return undefined;
  return raw.toLowerCase() === 'true';
}

/**
 * An optional webhook-method form parameter (`GET` / `POST`, any case, as Twilio's `*Method`
 * parameters take them): `undefined` when absent or empty, else the method; anything else is a
 * 400 with `code` (the resource's own: 21403 for Calls and IncomingPhoneNumbers, 20001 elsewhere).
 */
export function methodParam(form: URLSearchParams, name: string, code: number): 'GET' | 'POST' | undefined {
  const raw = form.get(name);
  if (raw === null || raw === '') return undefined;
  const upper = raw.toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw badRequest(code, `${name} must be GET or POST, got ${raw}`);
  return upper;
}
