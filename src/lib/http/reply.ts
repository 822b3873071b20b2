import { AppError } from '../errors/app-error';
import { twilioSdk } from '../twilio/sdk';

type Headers = Readonly<Record<string, string>>;

/** What a route answers; turned into a Functions response in one place (`toFunctionResponse`). */
export type Reply =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown; readonly headers?: Headers }
  | { readonly kind: 'twiml'; readonly status: number; readonly xml: string }
  | { readonly kind: 'csv'; readonly status: number; readonly text: string; readonly headers?: Headers }
  | { readonly kind: 'binary'; readonly status: number; readonly bytes: Buffer; readonly contentType: string };

export const json = (body: unknown, status = 200, headers?: Headers): Reply => ({ kind: 'json', status, body, headers });

/** A TwiML document (VoiceResponse or MessagingResponse) answered as text/xml. */
export const twiml = (response: { toString(): string }, status = 200): Reply => ({
  kind: 'twiml',
  status,
  xml: response.toString(),
});

/** A CSV document (an export people open in a spreadsheet) answered as text/csv. */
export const csv = (text: string, headers?: Headers): Reply => ({ kind: 'csv', status: 200, text, headers });

/** Bytes (a recording's audio): the runtime sends a Buffer given to `setBody` as it is. */
export const binary = (bytes: Buffer, contentType: string): Reply => ({ kind: 'binary', status: 200, bytes, contentType });

export function errorReply(error: AppError): Reply {
  const headers = error.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(error.retryAfterSeconds) };
  return json(error.toBody(), error.status, headers);
}

/** The runtime's response object (global `Twilio.Response`), typed to what we use. */
export interface FunctionResponse {
  setStatusCode(code: number): FunctionResponse;
  setBody(body: string | object | Buffer): FunctionResponse;
  appendHeader(key: string, value: string): FunctionResponse;
}

export function toFunctionResponse(reply: Reply, extraHeaders: Headers = {}): FunctionResponse {
  const ResponseClass = (twilioSdk() as unknown as { Response: new () => FunctionResponse }).Response;
  const response = new ResponseClass().setStatusCode(reply.status);
  response.appendHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(extraHeaders)) response.appendHeader(name, value);
  if (reply.kind === 'twiml') {
    return response.appendHeader('Content-Type', 'text/xml; charset=utf-8').setBody(reply.xml);
  }
  if (reply.kind === 'binary') {
    return response.appendHeader('Content-Type', reply.contentType).setBody(reply.bytes);
  }
  if (reply.kind === 'csv') {
    response.appendHeader('Content-Type', 'text/csv; charset=utf-8');
    for (const [name, value] of Object.entries(reply.headers ?? {})) response.appendHeader(name, value);
    return response.setBody(reply.text);
  }
  response.appendHeader('Content-Type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.appendHeader(name, value);
  return response.setBody(reply.body as object);
}
