import type { IncomingMessage } from 'node:http';
import { badRequest, TwilioApiError } from './errors';

/** Largest request body the sandbox reads (Twilio rejects far smaller ones anyway). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole request body as UTF-8. */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new TwilioApiError(413, 20413, 'Request entity is larger than limits defined by the server'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
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
