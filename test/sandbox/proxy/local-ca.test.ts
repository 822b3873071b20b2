import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CA_CERT_FILE, CA_KEY_FILE, loadOrCreateCa } from '../../../sandbox/proxy/local-ca';
import { startTestSandbox } from '../helpers';
import { removeDir, tempCaDir } from './helpers';

let dir: string;

beforeEach(async () => {
  dir = await tempCaDir();
});

afterEach(async () => {
  await removeDir(dir);
});

const readCert = (): Promise<string> => readFile(path.join(dir, CA_CERT_FILE), 'utf8');
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

describe('the local CA', () => {
  it('is made on first start with its key at mode 0600, and reused by a second sandbox', async () => {
    const first = await startTestSandbox({ proxy: { caDir: dir } });
    await first.sandbox.close();
    const made = await readCert();
    expect(first.sandbox.caPath).toBe(path.join(dir, CA_CERT_FILE));
    expect((await stat(path.join(dir, CA_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(made).ca).toBe(true);

    const second = await startTestSandbox({ proxy: { caDir: dir } });
    await second.sandbox.close();
    expect(second.sandbox.caPath).toBe(first.sandbox.caPath);
    expect(await readCert()).toBe(made);
  });

  it('is replaced when expired, and the reason is logged but never the key', async () => {
    await loadOrCreateCa(dir, { now: () => new Date(Date.now() - 2 * YEAR_MS) });
    const expired = await readCert();
    const lines: string[] = [];
    await loadOrCreateCa(dir, { log: (line) => lines.push(line) });
    expect(await readCert()).not.toBe(expired);
    expect(lines.join('\n')).toContain('expired');
    const key = await readFile(path.join(dir, CA_KEY_FILE), 'utf8');
    const keyBody = key.split('\n').find((line) => line.length > 40) ?? key;
    expect(lines.join('\n')).not.toContain(keyBody);
    expect(lines.join('\n')).not.toContain('PRIVATE KEY');
  });

  it('is replaced when unreadable or when the key is not its own', async () => {
    await loadOrCreateCa(dir);
    await writeFile(path.join(dir, CA_CERT_FILE), 'not a certificate');
    await loadOrCreateCa(dir);
    const remade = await readCert();
    expect(new X509Certificate(remade).ca).toBe(true);

    const otherDir = await tempCaDir();
    await loadOrCreateCa(otherDir);
    await writeFile(path.join(dir, CA_KEY_FILE), await readFile(path.join(otherDir, CA_KEY_FILE)));
    await removeDir(otherDir);
    const lines: string[] = [];
    await loadOrCreateCa(dir, { log: (line) => lines.push(line) });
    expect(await readCert()).not.toBe(remade);
    expect(lines.join('\n')).toContain('the key does not match');
  });

  it('is made once when two sandboxes start at the same time', async () => {
    const [a, b] = await Promise.all([loadOrCreateCa(dir), loadOrCreateCa(dir)]);
    expect(a.certPem).toBe(b.certPem);
    expect(await readCert()).toBe(a.certPem);
  });
});
