// The HTTP requests decrypted inside an accepted tunnel: checked against the CONNECT's host, then
// served by the sandbox's API (as `/<subdomain><path>`) or by the edge of a deployed domain.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectTarget } from './connect-target';
import { refuseRequest } from './refusal';

/** A CONNECT the proxy accepted. */
export type AcceptedTarget = Exclude<ConnectTarget, { kind: 'refused' }>;

export interface TunnelRequestDeps {
  /** The accepted CONNECT a decrypted socket belongs to. */
  targetOf(socket: Socket): AcceptedTarget | undefined;
  /** The sandbox's own handler, which serves Twilio's APIs at `/<subdomain>/…`. */
  serveApi: RequestListener;
  /** The edge: serves a deployed `*.twil.io` domain. */
  serveSite(req: IncomingMessage, res: ServerResponse): void;
}

/** The Host header's name when it is `name` or `name:443` (lower case), else undefined. */
function hostNameOf(header: string | undefined): string | undefined {
  const match = /^([^:]+)(?::443)?$/.exec((header ?? '').trim().toLowerCase());
  return match?.[1];
}

/** The in-tunnel request handler: the Host must be the CONNECT host, the target a path. */
export function createTunnelRequestHandler(deps: TunnelRequestDeps): RequestListener {
  return (req, res) => {
    const target = deps.targetOf(req.socket);
    if (!target) return refuseRequest(res, 400, 'Not a tunnel the sandbox accepted');
    const requestTarget = req.url ?? '';
    if (!requestTarget.startsWith('/')) return refuseRequest(res, 400, 'Inside a tunnel, the request-target must be a path');
    if (hostNameOf(req.headers.host) !== target.hostname)
      return refuseRequest(res, 400, `The Host header must be ${target.hostname}, the host this tunnel was opened to`);
    if (target.kind === 'site') return deps.serveSite(req, res);
    // As the sandbox-aware client sends it: https://<subdomain>.twilio.com/<path> → /<subdomain>/<path>.
    // The URL parser resolves dot segments first, so a path cannot climb out of its product.
    const url = new URL(requestTarget, `https://${target.hostname}`);
    req.url = `/${target.subdomain}${url.pathname}${url.search}`;
    deps.serveApi(req, res);
  };
}
