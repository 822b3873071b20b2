import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fsHelpers } from '@twilio-labs/serverless-api';
import { LocalDevelopmentServer } from '@twilio/runtime-handler/dev';
import { ROOT_DIR } from './layout';
import { checkRequest, loggedTarget, MAX_BODY_BYTES } from './request-boundary';
import { checkTwilioSignature } from './signature-gate';

/** Twilio kills a Function at 10 s; the local gateway answers 504 at the same point. */
const FUNCTION_TIMEOUT_MS = 10_000;
/** An oversize body is read (and dropped) up to this size so the caller gets its 413, then the connection is cut. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export interface LocalFunctionsOptions {
  /** Port the gateway listens on; 0 picks a free one. Default 3000. */
  port?: number;
  /** Variables the Functions see as `context` (the content of `.env`). */
  env: Record<string, string>;
  /** Public URL Twilio calls, when it is not `http://localhost:<port>` (e.g. a tunnel). */
  publicUrl?: string;
  /** Print one line per request. */
  logs?: boolean;
  /** Folders (relative to the repository) holding the built Functions and assets. */
  functionsFolder?: string;
  assetsFolder?: string;
  /** How long a Function may run before the gateway answers 504 (Twilio's limit by default). */
  timeoutMs?: number;
}

export interface LocalFunctions {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Access = 'public' | 'protected' | 'private';

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use; pass another with --port`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** The body, or `undefined` when it is over 6 MB (read to the end and dropped, so the caller hears 413, not a reset). */
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

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-local-gateway': code });
  response.end(JSON.stringify({ error: { code, message } }));
}

/** The URL Twilio signed: the public URL when one is configured, else the one this request was sent to. */
function signedUrl(request: IncomingMessage, publicUrl: string | undefined): string {
  return (publicUrl ?? `http://${request.headers.host ?? 'localhost'}`) + (request.url ?? '/');
}

/** Forwards the request, unchanged, to twilio-run's server; 504 when the Function overruns. */
function forward(request: IncomingMessage, body: Buffer, response: ServerResponse, upstreamPort: number, timeoutMs: number): void {
  const upstream = http.request(
    { host: '127.0.0.1', port: upstreamPort, method: request.method, path: request.url, headers: request.headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.setTimeout(timeoutMs, () => {
    upstream.destroy();
    if (!response.headersSent) sendError(response, 504, 'function_timeout', `The Function did not answer within ${timeoutMs} ms`);
  });
  upstream.on('error', () => {
    if (!response.headersSent) sendError(response, 502, 'function_unavailable', 'The local Functions server did not answer');
  });
  upstream.end(body);
}

/**
 * Runs the built Functions with twilio-run's runtime (@twilio/runtime-handler, in-process, no
 * fork per request) behind a gateway that does what Twilio's edge does when deployed and
 * twilio-run does not: refuse unsigned or forged requests to `protected` Functions, hide
 * `private` ones, and stop a Function at 10 s.
 */
export async function startLocalFunctions(options: LocalFunctionsOptions): Promise<LocalFunctions> {
  const routes = await fsHelpers.getListOfFunctionsAndAssets(ROOT_DIR, {
    functionsFolderNames: [options.functionsFolder ?? 'dist/functions'],
    assetsFolderNames: [options.assetsFolder ?? 'dist/assets'],
  });
  const access = new Map<string, Access>(routes.functions.map((fn) => [fn.path, fn.access]));
  const assets = new Set(routes.assets.map((asset) => asset.path));

  const gateway = http.createServer();
  const port = await listen(gateway, options.port ?? 3000, '127.0.0.1');
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  const url = publicUrl ?? `http://localhost:${port}`;

  const runtime = new LocalDevelopmentServer(0, {
    baseDir: ROOT_DIR,
    env: options.env,
    port: 0,
    url,
    detailedLogs: false,
    live: false,
    logs: options.logs ?? false,
    legacyMode: false,
    appName: 'twilio-comms',
    forkProcess: false,
    routes,
    enableDebugLogs: false,
  });
  // The runtime's own request lines carry query values (numbers, tokens): the gateway logs instead.
  const upstream = http.createServer(runtime.getApp());
  const upstreamPort = await listen(upstream, 0, '127.0.0.1');

  // Requests Node refuses before any handler runs (a URL or headers over 16 KB, a malformed
  // request line) get the product's JSON error too, not Node's bare status line.
  gateway.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The URL or headers are larger than 16 KB']
        : [400, 'malformed_request', 'The request could not be parsed'];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\nx-local-gateway: ${code}\r\n\r\n${body}`,
    );
  });

  gateway.on('request', (request, response) => {
    const started = Date.now();
    let target: URL | undefined;
    try {
      target = new URL(request.url ?? '/', url);
    } catch {
      target = undefined;
    }
    if (options.logs) {
      // One line per request: path and parameter names only, never values (numbers, tokens).
      response.on('finish', () => {
        const by = response.getHeader('x-local-gateway') ? ' │ answered by the local gateway' : '';
        console.log(
          `${response.statusCode} ${request.method} ${target ? loggedTarget(target) : '(unreadable URL)'} ${Date.now() - started} ms${by}`,
        );
      });
    }
    readBody(request).then(
      (body) => {
        if (!target) return sendError(response, 400, 'invalid_url', 'The request URL cannot be read');
        if (!body) return sendError(response, 413, 'body_too_large', 'The request body is larger than 6 MB');
        const path = target.pathname;
        const routeAccess = access.get(path);
        if (routeAccess === undefined && !assets.has(path))
          return sendError(response, 404, 'not_found', `No Function or asset at ${path.slice(0, 100)}`);
        const refusal = checkRequest(request.method ?? 'GET', target, request.headers, body);
        if (refusal) return sendError(response, refusal.status, refusal.code, refusal.message);
        if (routeAccess === 'private') {
          sendError(response, 403, 'forbidden', 'This Function is private');
          return;
        }
        if (routeAccess === 'protected') {
          const verdict = checkTwilioSignature(
            { method: request.method ?? 'GET', url: signedUrl(request, publicUrl), headers: request.headers, body },
            [options.env.AUTH_TOKEN, options.env.AUTH_TOKEN_SECONDARY],
          );
          if (!verdict.allowed) {
            sendError(response, 401, 'invalid_signature', `Twilio signature check failed: ${verdict.reason}`);
            return;
          }
        }
        forward(request, body, response, upstreamPort, options.timeoutMs ?? FUNCTION_TIMEOUT_MS);
      },
      () => {
        if (!response.headersSent) sendError(response, 400, 'unreadable_body', 'The request body could not be read');
      },
    );
  });

  return {
    url,
    port,
    close: async () => {
      for (const server of [gateway, upstream]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
