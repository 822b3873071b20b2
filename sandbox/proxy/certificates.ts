// X.509 for the sandbox's local CA and its per-host leaf certificates: ECDSA P-256 keys (instant to
// make), made with @peculiar/x509 over Node's WebCrypto.
import 'reflect-metadata'; // @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

const KEY_ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** The CA may vouch for these DNS names (and names under them) only: Twilio's API hosts and Functions domains. */
const CA_PERMITTED_DOMAINS = ['twilio.com', 'twil.io'] as const;

/** A certificate and its private key, both PEM, as the files and Node's TLS take them. */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** A CA ready to sign: its certificate and its key. */
export interface SigningCa {
  cert: x509.X509Certificate;
  certPem: string;
  privateKey: webcrypto.CryptoKey;
}

/** DER: one tag-length-value, short length form (the name constraints below are a few dozen bytes). */
function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  if (body.length >= 0x80) throw new RangeError('der(): only short lengths are needed here');
  return Buffer.concat([Buffer.from([tag, body.length]), body]);
}

/**
 * RFC 5280 NameConstraints (2.5.29.30) permitting only `CA_PERMITTED_DOMAINS`: should the key ever
 * leak, a client that trusts this CA still rejects any certificate it signs for another name.
 */
function nameConstraints(): x509.Extension {
  const SEQUENCE = 0x30;
  const PERMITTED_SUBTREES = 0xa0; // [0] IMPLICIT GeneralSubtrees
  const DNS_NAME = 0x82; // GeneralName dNSName [2] IMPLICIT IA5String
  const subtrees = CA_PERMITTED_DOMAINS.map((domain) => der(SEQUENCE, der(DNS_NAME, Buffer.from(domain, 'ascii'))));
  return new x509.Extension('2.5.29.30', true, der(SEQUENCE, der(PERMITTED_SUBTREES, ...subtrees)));
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive
  return bytes.toString('hex');
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A new self-signed CA (`CN=twilio-comms sandbox CA`), name-constrained to Twilio's domains. */
export async function createCaCertificate(validity: { notBefore: Date; notAfter: Date }): Promise<CertificateAndKey> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=twilio-comms sandbox CA (this machine only), O=twilio-comms',
    ...validity,
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      nameConstraints(),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** Reads a CA's PEM certificate and PKCS#8 key for signing; throws when either does not parse. */
export async function readSigningCa(pair: CertificateAndKey): Promise<SigningCa> {
  const cert = new x509.X509Certificate(pair.certPem);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pair.keyPem), KEY_ALGORITHM, false, ['sign']);
  return { cert, certPem: pair.certPem, privateKey };
}

/** A server certificate for one DNS name (SAN = that name), signed by the CA. */
export async function createLeafCertificate(
  ca: SigningCa,
  hostname: string,
  validity: { notBefore: Date; notAfter: Date },
): Promise<CertificateAndKey> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${hostname}`,
    issuer: ca.cert.subject,
    ...validity,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: hostname }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}
