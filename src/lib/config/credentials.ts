/**
 * Checks a deployed service makes on its credentials and public URL (and every deploy path
 * before the upload). Messages say what is wrong, never the value.
 */

/** Estimated entropy a shared secret needs: a random 32-byte token estimates at ~200 bits; 32 random hex characters at ~120. */
const MIN_SECRET_BITS = 100;

/** Bits estimated from the token's own character frequencies (Shannon): low for repeats and small alphabets. */
export function estimatedBits(token: string): number {
  const counts = new Map<string, number>();
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...token].length;
  let perChar = 0;
  for (const count of counts.values()) perChar -= (count / length) * Math.log2(count / length);
  return perChar * length;
}

/** The longest run of characters that step by one (abcdef, 98765): typed, not random. */
function longestStep(token: string): number {
  let longest = 1;
  for (const direction of [1, -1]) {
    let run = 1;
    for (let i = 1; i < token.length; i += 1) {
      run = token.charCodeAt(i) - token.charCodeAt(i - 1) === direction ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
  }
  return longest;
}

/** Words of six letters or more (shorter ones turn up in random tokens too often to refuse them). */
const PLACEHOLDERS = /password|changeme|secret|example|qwerty|letmein/i;

/**
 * Why a shared secret (API_TOKEN) is too easy to guess, or undefined: too little estimated
 * entropy (32 × "a" is 32 characters and 0 bits), a repeated pattern, a typed sequence, or a
 * placeholder word.
 */
export function weakSecret(token: string): string | undefined {
  const bits = Math.round(estimatedBits(token));
  if (bits < MIN_SECRET_BITS) return `has too little entropy (about ${bits} bits estimated; at least ${MIN_SECRET_BITS} needed)`;
  if (/^(.{1,24}?)\1+$/s.test(token)) return 'is a short pattern repeated';
  if (longestStep(token) >= 6) return 'contains a typed sequence (abcdef…)';
  if (PLACEHOLDERS.test(token)) return 'contains a placeholder word (secret, password, changeme…)';
  return undefined;
}

/** Tunnel services: fine to test with, but a deployed service must not send Twilio's callbacks through someone's laptop. */
const TUNNEL_DOMAINS = [
  'ngrok.io',
  'ngrok.app',
  'ngrok.dev',
  'ngrok-free.app',
  'ngrok-free.dev',
  'trycloudflare.com',
  'loca.lt',
  'localtunnel.me',
  'serveo.net',
  'serveousercontent.com',
  'localhost.run',
  'lhr.life',
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
];

function privateAddress(host: string): boolean {
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (ipv4) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const ipv6 = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (ipv6.includes(':'))
    return ipv6 === '::1' || ipv6 === '::' || /^f[cd]/.test(ipv6) || /^fe[89ab]/.test(ipv6) || ipv6.startsWith('::ffff:');
  return false;
}

/**
 * Why Twilio could not (or should not) call this URL in production, or undefined: not https, a
 * local or private address, a name only this network resolves, or a known tunnel service.
 */
export function unreachableUrl(url: string): string | undefined {
  const { protocol, hostname } = new URL(url);
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || privateAddress(host))
    return 'points at this machine or a private network, which Twilio cannot reach';
  if (!host.includes('.') || /\.(local|internal|lan|home|corp|intranet|test|invalid|example)$/.test(host))
    return 'is a name only a local network resolves';
  if (TUNNEL_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`)))
    return 'is a tunnel to a development machine, not a production address';
  if (protocol !== 'https:') return "must be https:// so Twilio's callbacks are encrypted";
  return undefined;
}
