// The sandbox's local CA on disk: `ca.pem` (what NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE point at)
// and `ca-key.pem` (mode 0600, never logged), made on first start and reused while valid.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createCaCertificate, readSigningCa, type CertificateAndKey, type SigningCa } from './certificates';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a new CA is valid. */
const CA_LIFETIME_MS = 365 * DAY_MS;
/** A CA with less than this left is replaced, so no leaf it signs outlives it. */
const CA_MIN_REMAINING_MS = DAY_MS;
/** A lock (another process making the CA) older than this was left by a crash. */
const STALE_LOCK_MS = 30_000;
const LOCK_POLL_MS = 25;

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';

export interface LocalCa extends SigningCa {
  /** Absolute path of `ca.pem`. */
  caPath: string;
}

export interface LocalCaOptions {
  /** Wall-clock time (TLS checks real time, not the sandbox clock); default `new Date()`. */
  now?: () => Date;
  log?: (line: string) => void;
}

/** Why the CA on disk cannot be reused, or undefined when it can. */
function unusableBecause(pair: CertificateAndKey, now: Date): string | undefined {
  const cert = new X509Certificate(pair.certPem);
  if (!cert.ca) return 'the certificate is not a CA';
  if (!cert.checkPrivateKey(createPrivateKey(pair.keyPem))) return 'the key does not match the certificate';
  if (new Date(cert.validFrom).getTime() > now.getTime()) return 'the certificate is not valid yet';
  if (new Date(cert.validTo).getTime() - now.getTime() < CA_MIN_REMAINING_MS) return 'the certificate has expired';
  return undefined;
}

async function readPair(dir: string): Promise<CertificateAndKey> {
  const [certPem, keyPem] = await Promise.all([
    readFile(path.join(dir, CA_CERT_FILE), 'utf8'),
    readFile(path.join(dir, CA_KEY_FILE), 'utf8'),
  ]);
  return { certPem, keyPem };
}

/** Writes a file whole (temporary file, then rename) with the given mode. */
async function writeWhole(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode); // whatever the umask
  await rename(temporary, file);
}

/** Runs `work` while holding `<dir>/ca.lock` (mkdir is atomic), so two sandboxes starting at once make one CA. */
async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, 'ca.lock');
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rmdir(lock).catch(() => undefined);
      else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

/**
 * The CA in `dir`: the one on disk when it reads, matches its key and has a day left; else a new
 * one (written to `ca.pem` and `ca-key.pem`, the key 0600). The reason for a replacement is logged,
 * never the key.
 */
export async function loadOrCreateCa(dir: string, options: LocalCaOptions = {}): Promise<LocalCa> {
  const now = options.now ?? ((): Date => new Date());
  const log = options.log ?? ((): void => undefined);
  const absoluteDir = path.resolve(dir);
  const caPath = path.join(absoluteDir, CA_CERT_FILE);
  await mkdir(absoluteDir, { recursive: true, mode: 0o700 });
  return withLock(absoluteDir, async () => {
    let reason: string;
    try {
      const pair = await readPair(absoluteDir);
      const unusable = unusableBecause(pair, now());
      if (!unusable) return { caPath, ...(await readSigningCa(pair)) };
      reason = unusable;
    } catch (error) {
      reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'none yet' : 'the files do not read as a certificate and key';
    }
    const notBefore = new Date(now().getTime() - 60 * 60 * 1000);
    const pair = await createCaCertificate({ notBefore, notAfter: new Date(notBefore.getTime() + CA_LIFETIME_MS) });
    await writeWhole(path.join(absoluteDir, CA_KEY_FILE), pair.keyPem, 0o600);
    await writeWhole(caPath, pair.certPem, 0o644);
    log(`sandbox proxy: made a local CA at ${caPath} (${reason === 'none yet' ? 'first start' : `replacing one: ${reason}`})`);
    return { caPath, ...(await readSigningCa(pair)) };
  });
}
