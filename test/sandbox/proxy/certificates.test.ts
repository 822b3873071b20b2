import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { createLeafCertificate } from '../../../sandbox/proxy/certificates';
import { useTempCa } from './helpers';

const temp = useTempCa();

/** Serves TLS with a leaf this CA signs for `hostname`, and connects to it trusting only the CA. */
async function handshake(hostname: string): Promise<TLSSocket> {
  const now = Date.now();
  const leaf = await createLeafCertificate(temp.ca, hostname, { notBefore: new Date(now - 60_000), notAfter: new Date(now + 3_600_000) });
  const server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<TLSSocket>((resolve, reject) => {
      const socket = connect(
        { port: (server.address() as AddressInfo).port, host: '127.0.0.1', servername: hostname, ca: temp.ca.certPem },
        () => {
          socket.destroy();
          resolve(socket);
        },
      );
      socket.once('error', reject);
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('certificates from the local CA', () => {
  it('are trusted for Twilio API hosts and Functions domains', async () => {
    await expect(handshake('api.twilio.com')).resolves.toBeDefined();
    await expect(handshake('verify.dublin.ie1.twilio.com')).resolves.toBeDefined();
    await expect(handshake('my-app-1234-dev.twil.io')).resolves.toBeDefined();
  });

  it('are rejected for any other name, even when the CA signed them (name constraints)', async () => {
    await expect(handshake('example.com')).rejects.toThrow(/subtree/i);
    await expect(handshake('twilio.com.example.org')).rejects.toThrow(/subtree/i);
  });
});
