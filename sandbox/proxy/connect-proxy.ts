// The sandbox as an HTTPS proxy for Twilio's hosts only: twilio-node (https-proxy-agent) and the
// Serverless Toolkit (hpagent) tunnel https://*.twilio.com through HTTP_PROXY with CONNECT. An
// accepted tunnel ends here: TLS with a leaf from the local CA, then the sandbox serves the request
// in-process. No connection ever leaves this process.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { isLoopbackName } from '../http/loopback';
import { classifyConnectTarget } from './connect-target';
import { LeafContexts } from './leaf-contexts';
import type { LocalCa } from './local-ca';
import { refuseTunnel } from './refusal';
import { createTunnelRequestHandler, type AcceptedTarget } from './tunnel-requests';

/** Deployed Functions domains (`*.twil.io`), served by the edge. */
interface TunnelledSites {
  /** Whether `hostname` (lower case, e.g. `twilio-comms-1234-dev.twil.io`) has a deployment. */
  isDeployedDomain(hostname: string): boolean;
  /** Serves one request to a deployed domain (its Host header is that domain). */
  serveSite(req: IncomingMessage, res: ServerResponse): void;
}

/** No deployed domains: every `*.twil.io` CONNECT is refused. */
const NO_DEPLOYED_SITES: TunnelledSites = {
  isDeployedDomain: () => false,
  serveSite: (_req, res) => {
    res.writeHead(404).end();
  },
};

export interface ConnectProxyOptions {
  /** The local CA (local-ca.ts `loadOrCreateCa`) that signs each host's certificate. */
  ca: LocalCa;
  /** The Twilio API products the sandbox serves (`api`, `sync`, …). */
  products: readonly string[];
  /** The sandbox's request handler, which serves `/<subdomain>/…`. */
  serveApi: (req: IncomingMessage, res: ServerResponse) => void;
  sites?: TunnelledSites;
  log?: (line: string) => void;
}

export interface ConnectProxy {
  /** Absolute path of the CA certificate clients trust (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE). */
  caPath: string;
  /** The sandbox server's `'connect'` listener. */
  handleConnect: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Ends every open tunnel. */
  close(): void;
}

/** An idle tunnel (no byte either way) is closed after this long. */
const TUNNEL_IDLE_MS = 120_000;

/**
 * Why a CONNECT is not a proxy client's, or undefined. A client's CONNECT names its target again in
 * Host (RFC 9110 section 9.3.6; https-proxy-agent, hpagent, curl all do; Python's http.client sends
 * none; node's own http.request names the proxy, a loopback name) and sends no Origin, which
 * only a browser adds (and a browser page cannot send CONNECT): the sandbox's Host rule, for its proxy.
 */
function foreignConnect(requested: string, headers: IncomingHttpHeaders): string | undefined {
  if (headers.origin !== undefined) return 'A CONNECT from a web page (an Origin header) is refused';
  // Python's http.client sends an HTTP/1.0 CONNECT with no Host at all: that names nothing foreign.
  if (headers.host === undefined) return undefined;
  const host = headers.host.trim().toLowerCase();
  const target = requested.toLowerCase();
  if (isLoopbackName(host.replace(/:\d+$/, ''))) return undefined;
  if (host !== target && `${host}:443` !== target) return `The Host header must name the CONNECT target (${requested.slice(0, 100)})`;
  return undefined;
}

/** The CONNECT handler to put on the sandbox's server. */
export function createConnectProxy(options: ConnectProxyOptions): ConnectProxy {
  const log = options.log ?? ((): void => undefined);
  const sites = options.sites ?? NO_DEPLOYED_SITES;
  const { ca } = options;
  const leaves = new LeafContexts(ca);
  const rules = { products: new Set(options.products), isDeployedDomain: (hostname: string) => sites.isDeployedDomain(hostname) };
  const targets = new WeakMap<Socket, AcceptedTarget>();
  const open = new Set<Duplex>();

  // Decrypted requests are parsed by an http.Server that never listens: tunnels are handed to it.
  const inner = createServer(
    createTunnelRequestHandler({
      targetOf: (socket) => targets.get(socket),
      serveApi: options.serveApi,
      serveSite: (req, res) => sites.serveSite(req, res),
    }),
  );

  function track(socket: Duplex): void {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  }

  function openTunnel(raw: Duplex, head: Buffer, target: AcceptedTarget, context: Awaited<ReturnType<LeafContexts['contextFor']>>): void {
    raw.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) raw.unshift(head);
    const tls = new TLSSocket(raw, {
      isServer: true,
      secureContext: context,
      ALPNProtocols: ['http/1.1'],
      // Without SNI the CONNECT host's certificate is used; an SNI naming another host is refused.
      SNICallback: (servername, done) =>
        servername.toLowerCase() === target.hostname
          ? done(null, context)
          : done(new Error(`TLS server name ${servername} is not ${target.hostname}, the host this tunnel was opened to`)),
    });
    track(tls);
    tls.on('error', (error: Error) => {
      log(`sandbox proxy: tunnel to ${target.hostname} closed: ${error.message}`);
      tls.destroy();
      raw.destroy();
    });
    targets.set(tls, target);
    inner.emit('connection', tls);
  }

  function handleConnect(req: IncomingMessage, raw: Duplex, head: Buffer): void {
    track(raw);
    raw.on('error', () => raw.destroy());
    (raw as Socket).setTimeout?.(TUNNEL_IDLE_MS, () => raw.destroy());
    const requested = req.url ?? '';
    const foreign = foreignConnect(requested, req.headers);
    if (foreign) {
      log(`CONNECT ${requested} -> 403 (${foreign})`);
      refuseTunnel(raw, 403, foreign);
      return;
    }
    const target = classifyConnectTarget(requested, rules);
    if (target.kind === 'refused') {
      log(`CONNECT ${requested} -> ${target.status} (${target.reason})`);
      refuseTunnel(raw, target.status, target.reason);
      return;
    }
    leaves.contextFor(target.hostname).then(
      (context) => {
        if (raw.destroyed) return;
        log(`CONNECT ${requested} -> 200 (${target.kind === 'api' ? `/${target.subdomain}` : 'deployed domain'})`);
        openTunnel(raw, head, target, context);
      },
      (error: unknown) => {
        log(`CONNECT ${requested} -> 500 (no certificate: ${String(error)})`);
        refuseTunnel(raw, 500, 'The sandbox could not issue a certificate for this host');
      },
    );
  }

  return {
    caPath: ca.caPath,
    handleConnect,
    close: () => {
      for (const socket of open) socket.destroy();
      open.clear();
      inner.closeAllConnections();
    },
  };
}
