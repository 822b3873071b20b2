/**
 * The one rule for "can Twilio reach this URL in production": a deployed service's
 * PUBLIC_BASE_URL, every deploy's env file, and `npm run doctor`'s webhook check all ask it. One
 * list of names, one table of address ranges, no second copy elsewhere. Beside it, the product's
 * one answer to "does this hostname name this machine" (isLoopbackName), where plain http is fine;
 * the sandbox, which never imports src/, keeps its own for its Host checks (sandbox/http/loopback.ts).
 */
import { BlockList, isIP } from 'node:net';

/** The names of this machine's loopback interface, as a URL's or a Host header's hostname gives them. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a hostname (`localhost`, `127.0.0.1`, `[::1]`, no port) names this machine: a local run, where http is fine. */
export const isLoopbackName = (hostname: string): boolean => LOOPBACK_NAMES.has(hostname.toLowerCase());

/**
 * Special-purpose address ranges (RFC 6890 and its IANA registries, plus multicast and the IPv6
 * forms that embed an IPv4 address): nothing Twilio's webhooks can or should reach.
 */
const RESERVED_RANGES: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT (shared address space)
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local (and cloud metadata)
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.0.2.0', 24, 'ipv4'], // TEST-NET-1
  ['192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['198.51.100.0', 24, 'ipv4'], // TEST-NET-2
  ['203.0.113.0', 24, 'ipv4'], // TEST-NET-3
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, and 255.255.255.255 (broadcast)
  ['::', 128, 'ipv6'], // unspecified
  ['::1', 128, 'ipv6'], // loopback
  ['::ffff:0:0', 96, 'ipv6'], // IPv4-mapped
  ['64:ff9b::', 96, 'ipv6'], // NAT64 (an IPv4 address inside)
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['100::', 64, 'ipv6'], // discard-only
  ['2001::', 23, 'ipv6'], // IETF protocol assignments (Teredo, ORCHID, benchmarking…)
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['2002::', 16, 'ipv6'], // 6to4 (an IPv4 address inside)
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['ff00::', 8, 'ipv6'], // multicast
];

// One list per family: a BlockList matches an IPv4 address against IPv6 rules too (as ::ffff:a.b.c.d), so one
// list would hold every IPv4 address reserved through ::ffff:0:0/96.
const RESERVED = { ipv4: new BlockList(), ipv6: new BlockList() };
for (const [network, prefix, type] of RESERVED_RANGES) RESERVED[type].addSubnet(network, prefix, type);

/** Whether an IP address (`127.0.0.1`, `::1`, no brackets) is in a special-purpose range. */
export function isReservedAddress(address: string): boolean {
  const type = isIP(address);
  if (type === 0) return false;
  const family = type === 4 ? 'ipv4' : 'ipv6';
  return RESERVED[family].check(address, family);
}

/** Public DNS names that answer with a loopback or private address (127.0.0.1.nip.io, *.localtest.me). */
const LOOPBACK_DOMAINS = ['localhost', 'nip.io', 'sslip.io', 'xip.io', 'traefik.me', 'localtest.me', 'lvh.me', 'vcap.me', 'lacolhost.com'];

/** Tunnels and cloud dev machines: fine to test with, but a deployed service must not send Twilio's callbacks through someone's laptop. */
const TUNNEL_DOMAINS = [
  'ngrok.io',
  'ngrok.app',
  'ngrok.dev',
  'ngrok-free.app',
  'ngrok-free.dev',
  'ngrok.pizza',
  'ngrok.pro',
  'trycloudflare.com',
  'loca.lt',
  'localtunnel.me',
  'serveo.net',
  'serveousercontent.com',
  'localhost.run',
  'lhr.life',
  'lhr.rocks',
  'pagekite.me',
  'tunnelmole.net',
  'devtunnels.ms',
  'telebit.io',
  'bore.pub',
  'localto.net',
  'pinggy.link',
  'pinggy.online',
  'localxpose.io',
  'loclx.io',
  'ts.net',
  'zrok.io',
  'app.github.dev',
  'gitpod.io',
  'sharedwithexpose.com',
  'expose.dev',
];

/** Top-level names only a local network resolves (RFC 6761, RFC 6762, RFC 8375, RFC 9476, and common private ones). */
const LOCAL_TLDS = /\.(local|internal|lan|home|corp|intranet|test|invalid|example|arpa|onion|alt)$/;

const under = (host: string, domains: readonly string[]): boolean =>
  domains.some((domain) => host === domain || host.endsWith(`.${domain}`));

/**
 * Why Twilio could not (or should not) call this URL in production, or undefined: not https, a
 * reserved address (in any spelling the URL parser reads: `0x7f.1`, `2130706433`, `[::ffff:7f00:1]`),
 * a public name for loopback, a name only this network resolves, or a tunnel service.
 */
export function unreachableUrl(url: string): string | undefined {
  const { protocol, hostname } = new URL(url);
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const address = host.replace(/^\[|\]$/g, '');
  if (isReservedAddress(address) || under(host, LOOPBACK_DOMAINS))
    return 'points at this machine or a private network, which Twilio cannot reach';
  if (isIP(address) === 0 && (!host.includes('.') || LOCAL_TLDS.test(host))) return 'is a name only a local network resolves';
  if (under(host, TUNNEL_DOMAINS)) return 'is a tunnel to a development machine, not a production address';
  if (protocol !== 'https:') return "must be https:// so Twilio's callbacks are encrypted";
  return undefined;
}
