// Which CONNECT targets the sandbox's proxy accepts: Twilio API hosts of the products it serves, and
// deployed Functions domains, on port 443. Everything else is refused; nothing is ever dialled.
import { isIP } from 'node:net';

/** What a CONNECT asks for, once checked. */
export type ConnectTarget =
  /** A Twilio REST API host; `subdomain` is the product (`api`, `sync`, …), the sandbox's `/<subdomain>/…` prefix. */
  | { kind: 'api'; hostname: string; subdomain: string }
  /** A deployed Functions domain (`*.twil.io`). */
  | { kind: 'site'; hostname: string }
  | { kind: 'refused'; status: 400 | 403; reason: string };

export interface ConnectRules {
  /** The Twilio API products the sandbox serves, by the first label of their host (`api`, `sync`, …). */
  products: ReadonlySet<string>;
  /** Whether a `*.twil.io` domain (lower case) has a deployment in the sandbox. */
  isDeployedDomain(hostname: string): boolean;
}

const HTTPS_PORT = 443;
const TWILIO_API_DOMAIN = '.twilio.com';
// The Functions domain of an Environment: https://www.twilio.com/docs/serverless/api/resource/environment/ (domain_name)
const FUNCTIONS_DOMAIN = '.twil.io';
/** One DNS label (RFC 1035 letters, digits, hyphens; lower case here). */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const refused = (status: 400 | 403, reason: string): ConnectTarget => ({ kind: 'refused', status, reason });

// Twilio's Edge Location IDs, public and Interconnect: https://www.twilio.com/docs/global-infrastructure/edge-locations/
// (the Interconnect ones as Twilio's Voice SDK lists them: https://twilio.github.io/twilio-voice.js/enums/Edge.html)
const EDGES: ReadonlySet<string> = new Set([
  ...['sydney', 'sao-paulo', 'dublin', 'frankfurt', 'tokyo', 'singapore', 'ashburn', 'umatilla', 'roaming'],
  ...['ashburn-ix', 'san-jose-ix', 'london-ix', 'frankfurt-ix', 'singapore-ix', 'tokyo-ix', 'sydney-ix'],
]);
// Twilio's Region IDs, public and Interconnect: https://www.twilio.com/docs/global-infrastructure/edge-locations/legacy-regions
const REGIONS: ReadonlySet<string> = new Set([
  ...['au1', 'br1', 'ie1', 'de1', 'jp1', 'sg1', 'us1', 'us2', 'gll'],
  ...['us1-ix', 'us2-ix', 'ie1-ix', 'de1-ix', 'sg1-ix', 'jp1-ix', 'au1-ix'],
]);

/**
 * The product of a Twilio API host name: `<product>.twilio.com`, `<product>.<edge>.<region>.twilio.com`
 * (e.g. api.dublin.ie1.twilio.com) and the older `<product>.<region>.twilio.com` (e.g. api.us1.twilio.com)
 * (https://www.twilio.com/docs/global-infrastructure/edge-locations/legacy-regions). Only Twilio's edge and
 * region IDs count, so the names a client can make the proxy issue a certificate for are few.
 */
function twilioProduct(hostname: string): string | undefined {
  if (!hostname.endsWith(TWILIO_API_DOMAIN)) return undefined;
  const [product, ...location] = hostname.slice(0, -TWILIO_API_DOMAIN.length).split('.');
  if (location.length === 0) return product;
  if (location.length === 1) return REGIONS.has(location[0]) ? product : undefined;
  if (location.length === 2) return EDGES.has(location[0]) && REGIONS.has(location[1]) ? product : undefined;
  return undefined;
}

/** Classifies a CONNECT request-target (`host:port`, RFC 9110 authority-form). */
export function classifyConnectTarget(target: string, rules: ConnectRules): ConnectTarget {
  if (/^\[[0-9a-f:.]*\]:\d+$/i.test(target)) return refused(403, `${target} is an IP address, not a Twilio host`);
  const match = /^([^:\s/@]+):(\d{1,5})$/.exec(target);
  if (!match) return refused(400, 'CONNECT needs a host:port target');
  const hostname = match[1].toLowerCase();
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return refused(400, `${match[2]} is not a port`);
  if (isIP(hostname)) return refused(403, `${hostname} is an IP address, not a Twilio host`);
  if (!hostname.split('.').every((label) => DNS_LABEL.test(label))) return refused(400, `${match[1]} is not a host name`);

  const product = twilioProduct(hostname);
  const isSite = hostname.endsWith(FUNCTIONS_DOMAIN) && hostname.split('.').length === 3;
  if (!product && !isSite) return refused(403, `${hostname} is not a Twilio host; the sandbox forwards nothing`);
  if (port !== HTTPS_PORT) return refused(403, `${hostname}:${port}: Twilio serves https on port 443 only`);
  if (product) {
    return rules.products.has(product)
      ? { kind: 'api', hostname, subdomain: product }
      : refused(403, `${hostname} is not a Twilio API the sandbox serves`);
  }
  return rules.isDeployedDomain(hostname) ? { kind: 'site', hostname } : refused(403, `${hostname} has no deployment in the sandbox`);
}
