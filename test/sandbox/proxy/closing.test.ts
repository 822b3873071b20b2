import { readFile } from 'node:fs/promises';
import { startTestSandbox } from '../helpers';
import { openTunnel, removeDir, startTls, tempCaDir } from './helpers';

describe('closing', () => {
  it('closes a sandbox whose tunnels are still open (a keep-alive client)', async () => {
    const dir = await tempCaDir();
    const other = await startTestSandbox({ proxy: { caDir: dir } });
    try {
      const idle = await openTunnel(other.sandbox.port, 'api.twilio.com:443');
      const tls = await startTls(idle.socket, { servername: 'api.twilio.com', ca: await readFile(other.sandbox.caPath ?? '', 'utf8') });
      const pending = await openTunnel(other.sandbox.port, 'sync.twilio.com:443');
      const tlsClosed = new Promise<void>((resolve) => tls.once('close', () => resolve()));
      const pendingClosed = new Promise<void>((resolve) => pending.socket.once('close', () => resolve()));
      pending.socket.resume();
      await other.sandbox.close();
      await Promise.all([tlsClosed, pendingClosed]);
    } finally {
      await other.sandbox.close().catch(() => undefined);
      await removeDir(dir);
    }
  });
});
