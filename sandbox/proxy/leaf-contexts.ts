// One TLS server context per host name a tunnel asks for, signed by the local CA, kept in memory
// and re-issued shortly before it expires.
import { createSecureContext, type SecureContext } from 'node:tls';
import { createLeafCertificate, type SigningCa } from './certificates';

const HOUR_MS = 60 * 60 * 1000;
/** Leaves are short-lived: nothing outside this process keeps them. */
const LEAF_LIFETIME_MS = 24 * HOUR_MS;
/** A cached leaf with less than this left is replaced. */
const LEAF_RENEW_MS = HOUR_MS;
/** At most this many host names keep a leaf (least recently used goes first): a client naming ever new hosts costs CPU, never memory. */
export const LEAF_CACHE_SIZE = 256;

interface CachedLeaf {
  notAfter: number;
  context: Promise<SecureContext>;
}

/** Leaf certificates (SAN = the host name) by host name, issued on demand; a bounded LRU cache. */
export class LeafContexts {
  private readonly leaves = new Map<string, CachedLeaf>();

  constructor(
    private readonly ca: SigningCa,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The TLS context for `hostname` (lower case), issuing its certificate the first time. */
  contextFor(hostname: string): Promise<SecureContext> {
    const now = this.now().getTime();
    const cached = this.leaves.get(hostname);
    if (cached && cached.notAfter - now > LEAF_RENEW_MS) {
      // Map order is insertion order: moving a hit to the end keeps the least recently used first.
      this.leaves.delete(hostname);
      this.leaves.set(hostname, cached);
      return cached.context;
    }
    const notBefore = new Date(now - HOUR_MS);
    // Never past the CA's own end (local-ca keeps at least a day on it).
    const notAfter = new Date(Math.min(now + LEAF_LIFETIME_MS, this.ca.cert.notAfter.getTime()));
    const context = createLeafCertificate(this.ca, hostname, { notBefore, notAfter }).then(({ certPem, keyPem }) =>
      createSecureContext({ cert: certPem, key: keyPem, minVersion: 'TLSv1.2' }),
    );
    this.leaves.delete(hostname);
    this.leaves.set(hostname, { notAfter: notAfter.getTime(), context });
    if (this.leaves.size > LEAF_CACHE_SIZE) this.leaves.delete(this.leaves.keys().next().value as string);
    // A failed issue is not cached: the next tunnel tries again.
    context.catch(() => {
      if (this.leaves.get(hostname)?.context === context) this.leaves.delete(hostname);
    });
    return context;
  }
}
