// The sites deployed to the sandbox, served at `https://<domain>/…` with Twilio's edge rules:
// the Serverless API (a SiteSource) says per request what a domain serves; each deployment runs
// in a container of its own, replaced when a new deployment (or new Variables) arrives.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { edgeError, type EdgeAnswer } from './answers';
import type { InvocationLog } from './container-protocol';
import { ContainerRunner } from './container-runner';
import { writeDeployment } from './deployment-files';
import { Edge, type EdgeRoute, type EdgeSite } from './edge';
import { handleWithEdge } from './edge-http';
import type { HostAndPort } from './request-target';
import type { DeployedSite, SiteSource } from './site';

export interface DeployedSitesOptions {
  sites: SiteSource;
  /** The account's Auth Token: protected Functions check signatures with it; ACCOUNT_SID/AUTH_TOKEN in context when include_credentials. */
  authToken: string;
  /** Deployments are written under `<dataDir>/sites/<deploymentSid>/` (keep it outside the repository: see deployment-files.ts). */
  dataDir: () => string;
  /** Where the sandbox's installed packages are; default this repository's node_modules. */
  nodeModulesDir?: string;
  /** The sandbox's CONNECT proxy (read when a container starts), so the deployed code's twilio-node client reaches the sandbox as api.twilio.com. */
  proxy?: () => { url: string; caPath?: string } | undefined;
  /** Default Twilio's 10 s. */
  timeoutMs?: number;
}

/** A request the sandbox itself sends to a deployed domain (a webhook), answered without a socket. */
export interface EdgeInvocation {
  method: string;
  /** The absolute URL, `https://<domain>/path?query`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Container {
  deploymentSid: string;
  /** The context it started with: new Variables start a new container. */
  contextKey: string;
  runner: ContainerRunner;
}

/** The context a deployed Function sees (Twilio's "Environment variables" page): the Variables, the SIDs, and the credentials when asked for. DOMAIN_NAME and PATH come from the runtime. */
function contextOf(site: DeployedSite, authToken: string): Record<string, string> {
  return {
    ...site.variables,
    SERVICE_SID: site.serviceSid,
    ENVIRONMENT_SID: site.environmentSid,
    ...(site.includeCredentials ? { ACCOUNT_SID: site.accountSid, AUTH_TOKEN: authToken } : {}),
  };
}

function routesOf(site: DeployedSite): Map<string, EdgeRoute> {
  return new Map<string, EdgeRoute>([
    ...site.functions.map((fn): [string, EdgeRoute] => [fn.path, { kind: 'function', visibility: fn.visibility }]),
    ...site.assets.map((asset): [string, EdgeRoute] => [asset.path, { kind: 'asset', visibility: asset.visibility }]),
  ]);
}

/** Serves every domain the SiteSource knows; one container per live deployment. */
export class DeployedSites {
  private readonly edge: Edge;
  private readonly containers = new Map<string, Container>();

  constructor(private readonly options: DeployedSitesOptions) {
    this.edge = new Edge({ siteFor: (host) => this.siteFor(host), timeoutMs: options.timeoutMs });
  }

  /** Whether a domain has a deployment here (the proxy lets tunnels to it through). */
  servesDomain(hostname: string): boolean {
    return this.options.sites.siteFor(hostname.toLowerCase()) !== undefined;
  }

  /** Whether a URL is on a domain deployed here (webhooks to it are delivered through `invoke`). */
  serves(url: URL): boolean {
    return url.protocol === 'https:' && (url.port === '' || url.port === '443') && this.servesDomain(url.hostname);
  }

  /** Answers a decrypted request for `https://<domain>/…` (the CONNECT proxy hands them here). */
  handle(request: IncomingMessage, response: ServerResponse): void {
    void handleWithEdge(this.edge, request, response);
  }

  /** Answers a request without a socket: the sandbox's own webhooks to a deployed domain. */
  async invoke({ method, url, headers, body }: EdgeInvocation): Promise<EdgeAnswer> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return edgeError(400, 'invalid_url', 'The URL cannot be read');
    }
    return this.edge.answer({ method, target: target.pathname + target.search, headers: { ...headers, host: target.host }, body });
  }

  /** Stops every container. */
  async close(): Promise<void> {
    const containers = [...this.containers.values()];
    this.containers.clear();
    await Promise.all(containers.map(({ runner }) => runner.close()));
  }

  private siteFor(host: HostAndPort): EdgeSite | undefined {
    if (host.port !== undefined && host.port !== 443) return undefined;
    const site = this.options.sites.siteFor(host.hostname);
    if (!site) return undefined;
    const functionSids = new Map(site.functions.map((fn) => [fn.path, fn.sid]));
    const log = ({ requestSid, path: fnPath, level, message }: InvocationLog) =>
      this.options.sites.appendLog(site, { functionSid: functionSids.get(fnPath) ?? '', requestSid, level, message });
    return {
      baseUrl: `https://${site.domain}`,
      routes: routesOf(site),
      signedBases: [`https://${site.domain}`],
      authTokens: [this.options.authToken],
      runner: () => this.containerFor(site, log).runner,
      log: (fnPath, requestSid, level, message) => log({ requestSid, path: fnPath, level, message }),
    };
  }

  private containerFor(site: DeployedSite, log: (line: InvocationLog) => void): Container {
    const context = contextOf(site, this.options.authToken);
    const contextKey = JSON.stringify(context);
    const current = this.containers.get(site.domain);
    if (current && current.deploymentSid === site.deploymentSid && current.contextKey === contextKey) return current;
    void current?.runner.close();
    const proxy = this.options.proxy?.();
    const container: Container = {
      deploymentSid: site.deploymentSid,
      contextKey,
      runner: new ContainerRunner({
        files: () =>
          writeDeployment(site, this.options.dataDir(), this.options.nodeModulesDir ?? path.resolve(__dirname, '../../node_modules')),
        context,
        url: `https://${site.domain}`,
        env: proxy ? { HTTP_PROXY: proxy.url, ...(proxy.caPath ? { NODE_EXTRA_CA_CERTS: proxy.caPath } : {}) } : {},
        onLog: log,
      }),
    };
    this.containers.set(site.domain, container);
    return container;
  }
}
