// What the edge answers itself (before, or instead of, a Function): one JSON shape for every
// refusal, `{ "error": { "code", "message" } }`, the product's error body, never a stack trace.
import type { OutgoingHttpHeaders } from 'node:http';

/** An HTTP answer, whole: the edge buffers what a Function returns, as Twilio's gateway does. */
export interface EdgeAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** The edge's own refusal; the `x-twilio-edge` header names it so a log can tell it from a Function's answer. */
export function edgeError(status: number, code: string, message: string): EdgeAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-twilio-edge': code },
    body: Buffer.from(JSON.stringify({ error: { code, message } })),
  };
}

/** The raw HTTP/1.1 bytes of an edge refusal, for a socket no request handler ever saw (clientError, CONNECT). */
export function rawEdgeError(status: number, reason: string, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\nx-twilio-edge: ${code}\r\n\r\n${body}`
  );
}
