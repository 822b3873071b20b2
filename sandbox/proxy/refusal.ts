// How the proxy says no: a short text answer, then the connection closes.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers a CONNECT (no response object exists for it) on its raw socket, then closes the socket. */
export function refuseTunnel(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}`,
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ].join('\r\n');
  if (socket.writable) socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
  else socket.destroy();
}

/** Answers a request inside (or beside) a tunnel with a short text, and closes the connection after it. */
export function refuseRequest(res: ServerResponse, status: number, reason: string): void {
  const body = `${reason}\n`;
  res
    .writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' })
    .end(body);
}
