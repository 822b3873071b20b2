import http from 'node:http';
import type { AddressInfo } from 'node:net';
// The file walk twilio-run itself uses, from its module alone: the package's index loads its whole
// API client (about 110 ms of CPU, paid by every test stack).
import { getListOfFunctionsAndAssets } from '@twilio-labs/serverless-api/dist/utils/fs';
import { edgeError } from '../sandbox/edge/answers';
import { Edge, type EdgeRoute, type EdgeSite } from '../sandbox/edge/edge';
import { serveEdge } from '../sandbox/edge/edge-http';
import { isLoopbackName } from '../src/lib/config/reachable-url';
import { startInProcessRunner } from '../sandbox/edge/in-process-runner';
import type { FunctionRunner } from '../sandbox/edge/runner';
import { authorityOf, readTarget, type HostAndPort } from '../sandbox/edge/request-target';
import { ROOT_DIR } from './layout';
import { checkRequest, loggedTarget } from './request-boundary';

export interface LocalFunctionsOptions {
  /** Port the Functions listen on; 0 picks a free one. Default 3000. */
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
  /** How long a Function may run before the edge answers 504 (Twilio's limit by default). */
  timeoutMs?: number;
}

export interface LocalFunctions {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use; pass another with --port`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Fails with the same "already in use" message startLocalFunctions gives, before anything slower
 * (starting the sandbox, provisioning Sync over the network) is done for a start that cannot listen.
 */
export async function refuseTakenPort(port: number): Promise<void> {
  if (port === 0) return;
  const probe = http.createServer();
  await listen(probe, port, '127.0.0.1');
  await closeServer(probe);
}

/** One line per request: path and parameter names only, never values (numbers, tokens). */
function logRequests(server: http.Server, baseUrl: string): void {
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const started = Date.now();
    response.on('finish', () => {
      const target = readTarget(request.url, baseUrl);
      const by = response.getHeader('x-twilio-edge') ? ' │ answered by the edge' : '';
      console.log(
        `${response.statusCode} ${request.method} ${target ? loggedTarget(target) : '(unreadable URL)'} ${Date.now() - started} ms${by}`,
      );
    });
  });
}

/**
 * Runs the built Functions on the sandbox's edge (sandbox/edge) as one in-process site: Twilio's
 * rules (protected needs a valid signature, private is not served, 10 s), plus the product's
 * request boundary (JSON refusals of malformed bodies, reserved names). It listens on one port
 * only; the runtime (@twilio/runtime-handler) is called in-process, never over a socket.
 */
export async function startLocalFunctions(options: LocalFunctionsOptions): Promise<LocalFunctions> {
  const routes = await getListOfFunctionsAndAssets(ROOT_DIR, {
    functionsFolderNames: [options.functionsFolder ?? 'dist/functions'],
    assetsFolderNames: [options.assetsFolder ?? 'dist/assets'],
  });
  const server = http.createServer();
  const port = await listen(server, options.port ?? 3000, '127.0.0.1');
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  const url = publicUrl ?? `http://localhost:${port}`;
  const publicHost = publicUrl ? new URL(publicUrl).host.toLowerCase() : undefined;

  let runner: FunctionRunner;
  try {
    runner = startInProcessRunner({
      files: { baseDir: ROOT_DIR, functions: routes.functions, assets: routes.assets },
      context: options.env,
      url,
    });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  const siteRoutes = new Map<string, EdgeRoute>([
    ...routes.functions.map((fn): [string, EdgeRoute] => [fn.path, { kind: 'function', visibility: fn.access }]),
    ...routes.assets.map((asset): [string, EdgeRoute] => [asset.path, { kind: 'asset', visibility: asset.access }]),
  ]);
  const site = (host: HostAndPort): EdgeSite => ({
    baseUrl: `http://localhost:${port}`,
    routes: siteRoutes,
    // Signed for the URL the caller used, or for PUBLIC_BASE_URL (a tunnel in front of this port).
    signedBases: [`http://${authorityOf(host)}`, ...(publicUrl ? [publicUrl] : [])],
    authTokens: [options.env.AUTH_TOKEN, options.env.AUTH_TOKEN_SECONDARY],
    runner: () => runner,
    precheck: (request) => {
      const refusal = checkRequest(request.method, request.url, request.headers, request.body);
      return refusal && edgeError(refusal.status, refusal.code, refusal.message);
    },
  });
  const edge = new Edge({
    siteFor: (host) => ((isLoopbackName(host.hostname) && host.port === port) || authorityOf(host) === publicHost ? site(host) : undefined),
    timeoutMs: options.timeoutMs,
  });
  if (options.logs) logRequests(server, `http://localhost:${port}`);
  serveEdge(server, edge);

  return {
    url,
    port,
    close: async () => {
      await closeServer(server);
      await runner.close();
    },
  };
}
