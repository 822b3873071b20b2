// The edge over HTTP: reads a request (body limit included), asks the Edge, writes its answer.
// Whatever a client sends, nothing here throws out of a handler: a request Node cannot parse
// gets a JSON 400 from `clientError`, a CONNECT gets a JSON 405, and the server keeps serving.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { edgeError, rawEdgeError, type EdgeAnswer } from './answers';
import { MAX_BODY_BYTES, type Edge, type EdgeRequest } from './edge';

/** An oversize body is read (and dropped) up to this size so the caller hears its 413; past it the connection is cut. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** The body, or undefined when it is over MAX_BODY_BYTES. */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) request.destroy();
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function write(response: ServerResponse, answer: EdgeAnswer): void {
  if (response.headersSent || response.destroyed) return;
  const { 'content-length': _length, 'transfer-encoding': _chunked, connection: _connection, ...headers } = answer.headers;
  response.writeHead(answer.status, { ...headers, 'content-length': answer.body.length });
  response.end(answer.body);
}

/** Answers one HTTP request through the edge; never rejects. */
export async function handleWithEdge(edge: Edge, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    let body: Buffer | undefined;
    try {
      body = await readBody(request);
    } catch {
      return write(response, edgeError(400, 'unreadable_body', 'The request body could not be read'));
    }
    const edgeRequest: EdgeRequest = { method: request.method ?? 'GET', target: request.url ?? '', headers: request.headers, body };
    write(response, await edge.answer(edgeRequest));
  } catch {
    write(response, edgeError(500, 'edge_error', 'The edge could not answer'));
  }
}

/** Requests Node refuses before any handler runs (a malformed request line, headers over 16 KB): a JSON error, then close. */
function refuseUnparsed(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  socket.end(
    tooLarge
      ? rawEdgeError(431, 'Request Header Fields Too Large', 'headers_too_large', 'The URL or headers are larger than 16 KB')
      : rawEdgeError(400, 'Bad Request', 'malformed_request', 'The request could not be parsed'),
  );
}

/** Serves `edge` on `server`: requests, unparseable requests and CONNECT. */
export function serveEdge(server: Server, edge: Edge): void {
  server.on('request', (request: IncomingMessage, response: ServerResponse) => void handleWithEdge(edge, request, response));
  server.on('clientError', refuseUnparsed);
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawEdgeError(405, 'Method Not Allowed', 'method_not_allowed', 'Functions answer GET, POST and OPTIONS only'));
  });
}
