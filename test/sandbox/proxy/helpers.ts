import { mkdtemp, rm } from 'node:fs/promises';
import { connect as netConnect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { loadOrCreateCa, type LocalCa } from '../../../sandbox/proxy/local-ca';

/** A fresh directory for a CA, removed by `removeDir`. */
export const tempCaDir = (): Promise<string> => mkdtemp(path.join(tmpdir(), 'sandbox-proxy-'));
export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** Everything the peer sends until it closes the connection. */
function readToClose(socket: Socket | TLSSocket, alreadyRead: Buffer = Buffer.alloc(0)): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [alreadyRead];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Writes raw bytes to the sandbox's port and returns all it answers before it closes. */
export async function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  const socket = netConnect(port, '127.0.0.1');
  const answer = readToClose(socket);
  socket.write(bytes);
  return answer;
}

/** The status code of an HTTP/1.1 answer's first line. */
export const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

/** Opens a CONNECT tunnel; resolves with the status and, for 200, the raw socket ready for TLS. */
export function openTunnel(port: number, target: string): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      if (end + 4 < received.length) socket.unshift(received.subarray(end + 4));
      resolve({ status: statusOf(received.toString('latin1')), socket });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  });
}

/** TLS over an open tunnel; resolves once the handshake completes, rejects when it fails. */
export function startTls(socket: Socket, options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({ socket, ...options }, () => resolve(tls));
    tls.once('error', reject);
    socket.once('close', () => reject(new Error('the tunnel closed during the handshake')));
  });
}

/** One HTTP/1.1 request over an established TLS tunnel (Connection: close); the whole answer. */
export function requestOverTls(tls: TLSSocket, head: string): Promise<string> {
  const answer = readToClose(tls);
  tls.write(`${head}\r\nConnection: close\r\n\r\n`);
  return answer;
}

export const basicAuth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A CA made in a fresh directory before the suite's tests and removed after them; read `.ca` inside a test. */
export function useTempCa(): { readonly ca: LocalCa } {
  let dir: string;
  let ca: LocalCa | undefined;
  beforeAll(async () => {
    dir = await tempCaDir();
    ca = await loadOrCreateCa(dir);
  });
  afterAll(() => removeDir(dir));
  return {
    get ca(): LocalCa {
      if (!ca) throw new Error('the CA is made in beforeAll');
      return ca;
    },
  };
}
