import type { IncomingMessage, ServerResponse } from 'node:http';
import { foreignRequestReason, guardBrowserRequest } from './control/browser-guard';
import { CONSOLE_HEADERS, isConsolePath, readConsoleFile } from './control/console-assets';
import { ControlError } from './control/errors';
import { serveEventStream } from './control/event-stream';
import type { FaultInjector } from './control/faults';
import type { RequestLog } from './control/request-log';
import type { SandboxEvents } from './events';
import { parseBasicAuth, type Authenticator } from './http/auth';
import { authenticationFailed, methodNotAllowed, resourceNotFound, TwilioApiError, twilioErrorBody } from './http/errors';
import { parseForm, readBodyBytes } from './http/form';
import type { ApiRequest, ApiResponse, Router, TwilioHost } from './http/router';

export interface RequestHandlerDeps {
  hosts: readonly TwilioHost[];
  control: Router;
  authenticator: Authenticator;
  faults: FaultInjector;
  /** Where each API request's arrival and answer times are kept (`GET /_sandbox/requests`). */
  requestLog?: RequestLog;
  log: (line: string) => void;
  events: SandboxEvents;
  /** The address the server listens on, for the control plane's Host check. */
  boundHost: string;
  /** Called after every API request that may have changed state (not GET, or a paid GET). */
  onApiChange?: (subdomain: string, method: string) => void;
  /** Called after every control-plane request other than GET. */
  onControlChange?: (path: string) => void;
  /** The sandbox clock (epoch ms): every answer's HTTP `Date` header tells it, as a server's Date tells its own time (RFC 9110, 6.6.1). */
  now?: () => number;
}

const CONTROL_PREFIX = '/_sandbox';
const EVENTS_PATH = `${CONTROL_PREFIX}/events`;

function send(res: ServerResponse, response: ApiResponse, extraHeaders: Record<string, string> = {}): void {
  if (response.status === 204 || response.body === undefined) {
    res.writeHead(response.status, extraHeaders).end();
    return;
  }
  if (Buffer.isBuffer(response.body)) {
    // A binary answer (a Recording's audio): its Content-Type comes with the route's headers.
    res.writeHead(response.status, { 'Content-Length': response.body.length, ...extraHeaders }).end(response.body);
    return;
  }
  const payload = JSON.stringify(response.body);
  res
    .writeHead(response.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(payload),
      ...extraHeaders,
    })
    .end(payload);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The sandbox's one HTTP entry point: `/` and `/console/…` are the console's files and
 * `/_sandbox/events` its live stream; `/_sandbox/…` goes to the control plane (JSON, no auth, this
 * machine's pages only: see control/browser-guard); `/<subdomain>/…` goes, after Basic auth and
 * fault injection, to that Twilio host's routes.
 */
/**
 * `port`: requests on the sandbox's own port, where a page of another site can send them (DNS
 * rebinding): API requests must name the sandbox as Host and come from no other origin, as for
 * the control plane. `tunnel`: requests decrypted inside a CONNECT tunnel, whose Host the tunnel
 * already held to the Twilio host it was opened to.
 */
export type RequestEntry = 'port' | 'tunnel';

export function createRequestHandler(
  deps: RequestHandlerDeps,
  entry: RequestEntry = 'port',
): (req: IncomingMessage, res: ServerResponse) => void {
  const hosts = new Map(deps.hosts.map((host) => [host.subdomain, host]));

  async function serveControl(req: IncomingMessage, base: Omit<ApiRequest, 'params' | 'path'>, path: string): Promise<ApiResponse> {
    const match = deps.control.match(base.method, path);
    if (match.kind === 'not-found')
      throw new ControlError(404, 'not_found', `No sandbox control endpoint ${base.method} ${CONTROL_PREFIX}${path}`);
    if (match.kind === 'method-not-allowed')
      throw new ControlError(405, 'method_not_allowed', `${base.method} is not supported on ${CONTROL_PREFIX}${path}`);
    const response = await match.handler({ ...base, path, params: match.params, headers: req.headers });
    if (base.method !== 'GET') deps.onControlChange?.(path);
    return response;
  }

  async function serveApi(req: IncomingMessage, base: Omit<ApiRequest, 'params' | 'path'>, fullPath: string): Promise<ApiResponse> {
    const [, subdomain = '', ...rest] = fullPath.split('/');
    const host = hosts.get(subdomain);
    const path = `/${rest.join('/')}`;
    if (!host) throw resourceNotFound(fullPath);
    const credential = deps.authenticator.credentialOf(parseBasicAuth(req.headers));
    if (!credential) throw authenticationFailed();

    const fault = deps.faults.take(base.method, fullPath);
    if (fault && fault.delayMs > 0) await sleep(fault.delayMs);
    const faultError = fault?.status == null ? null : new TwilioApiError(fault.status, fault.code ?? fault.status, fault.message);
    if (faultError && !fault?.carriedOut) throw faultError;

    const match = host.router.match(base.method, path);
    if (match.kind === 'not-found') throw resourceNotFound(path);
    if (match.kind === 'method-not-allowed') throw methodNotAllowed(base.method);
    const response = await match.handler({ ...base, path, params: match.params, credential });
    deps.onApiChange?.(subdomain, base.method);
    // A carried-out fault: the work is done, the answer is lost.
    if (faultError) throw faultError;
    return response;
  }

  /** The console's page and files, and its event stream: browser-facing, so guarded like the control plane. */
  async function serveBrowser(req: IncomingMessage, res: ServerResponse, method: string, pathname: string): Promise<boolean> {
    const isEvents = pathname === EVENTS_PATH;
    if (!isEvents && !isConsolePath(pathname)) return false;
    // The Host and Origin rule first: a foreign page learns nothing, not even which methods a path takes.
    const foreign = foreignRequestReason(method, req.headers, { boundHost: deps.boundHost });
    if (foreign) throw new ControlError(403, foreign.code, foreign.message);
    if (method !== 'GET' && method !== 'HEAD')
      throw new ControlError(405, 'method_not_allowed', `${method} is not supported on ${pathname}`);
    guardBrowserRequest(method, req.headers, { boundHost: deps.boundHost });
    if (isEvents) {
      serveEventStream(req, res, deps.events);
      return true;
    }
    const file = await readConsoleFile(pathname);
    if (!file) return false;
    res.writeHead(200, { ...CONSOLE_HEADERS, 'Content-Type': file.type, 'Content-Length': file.body.length });
    res.end(method === 'HEAD' ? undefined : file.body);
    return true;
  }

  return (req, res) => {
    if (!(req.url ?? '/').startsWith('/')) {
      // An absolute-form target (`GET http://api.twilio.com/…`) asks for forwarding: the sandbox forwards
      // nothing, and Twilio is https only (reach it with CONNECT: HTTPS_PROXY / HTTP_PROXY).
      const message = 'The sandbox is no forward proxy: send https://*.twilio.com requests through CONNECT';
      send(res, { status: 400, body: { error: { code: 'absolute_target_refused', message } } }, { Connection: 'close' });
      return;
    }
    const started = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const isControl = url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`);

    if (url.pathname === '/' || url.pathname.startsWith('/console/') || url.pathname === EVENTS_PATH) {
      serveBrowser(req, res, method, url.pathname)
        .then((served) => {
          if (!served && !res.headersSent)
            send(res, { status: 404, body: { error: { code: 'not_found', message: `No console file ${url.pathname}` } } });
        })
        .catch((error: unknown) => {
          const status = error instanceof ControlError ? error.status : 500;
          const body = error instanceof ControlError ? error.toBody() : { error: { code: 'internal', message: 'Sandbox internal error' } };
          if (!res.headersSent) send(res, { status, body });
        });
      return;
    }

    const logged = isControl ? undefined : deps.requestLog?.begin(method, url.pathname);
    const respond = async (): Promise<ApiResponse> => {
      // The Host and Origin rule before any work: a refused request's body is never read.
      if (isControl) guardBrowserRequest(method, req.headers, { boundHost: deps.boundHost });
      // Twilio's SDKs never send Origin; a browser page does, and a rebound one names another Host.
      const foreign = !isControl && entry === 'port' ? foreignRequestReason(method, req.headers, { boundHost: deps.boundHost }) : undefined;
      if (foreign) throw new TwilioApiError(403, 20403, foreign.message);
      // An API host may read larger bodies than the rest (serverless-upload's files).
      const host = isControl ? undefined : hosts.get(url.pathname.split('/')[1] ?? '');
      const bodyBytes = await readBodyBytes(req, host?.maxBodyBytes);
      const rawBody = bodyBytes.toString('utf8');
      const isForm = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
      const base = {
        method,
        query: url.searchParams,
        form: isForm ? parseForm(rawBody) : new URLSearchParams(),
        rawBody,
        bodyBytes,
        headers: req.headers,
      };
      if (!isControl) return serveApi(req, base, url.pathname);
      return serveControl(req, base, url.pathname.slice(CONTROL_PREFIX.length) || '/');
    };

    respond()
      .catch((error: unknown): ApiResponse => {
        if (error instanceof TwilioApiError) return { status: error.status, body: error.toBody() };
        if (error instanceof ControlError) return { status: error.status, body: error.toBody() };
        deps.log(`internal error on ${method} ${url.pathname}: ${error instanceof Error ? error.stack : String(error)}`);
        return isControl
          ? { status: 500, body: { error: { code: 'internal', message: 'Sandbox internal error' } } }
          : { status: 500, body: twilioErrorBody(500, 20500, 'Internal Server Error') };
      })
      .then((response) => {
        const headers: Record<string, string> = {
          ...(deps.now ? { Date: new Date(deps.now()).toUTCString() } : {}),
          ...(response.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Twilio API"' } : {}),
          ...response.headers,
        };
        send(res, response, headers);
        logged?.(response.status);
        deps.log(`${method} ${url.pathname}${url.search} -> ${response.status} (${Date.now() - started} ms)`);
      })
      .catch((error: unknown) => {
        logged?.(0);
        deps.log(`failed to answer ${method} ${url.pathname}: ${String(error)}`);
      });
  };
}
