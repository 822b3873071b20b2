import { isLoopbackName, isReservedAddress, unreachableUrl } from '../../../src/lib/config/reachable-url';

const LOCAL = /this machine or a private network/;

describe('unreachableUrl (PUBLIC_BASE_URL when deployed, every deploy)', () => {
  it.each([
    ['http://localhost:3000', LOCAL],
    ['https://app.localhost', LOCAL],
    ['https://127.0.0.1:8443', LOCAL],
    ['https://192.168.1.20', LOCAL],
    ['https://10.0.0.5', LOCAL],
    ['https://172.20.1.1', LOCAL],
    ['https://[::1]:3000', LOCAL],
    ['https://[fd12:3456::1]', LOCAL],
    ['https://comms.local', /only a local network resolves/],
    ['https://intranet', /only a local network resolves/],
    ['https://router.home.arpa', /only a local network resolves/],
    ['https://abc123.ngrok-free.app', /tunnel/],
    ['https://quiet-river.trycloudflare.com', /tunnel/],
    ['https://tame-fox.loca.lt', /tunnel/],
    ['http://comms.example.com', /must be https/],
  ])('refuses %s', (url, reason) => {
    expect(unreachableUrl(url)).toMatch(reason);
  });

  it.each(['https://127.0.0.1.nip.io', 'https://10-0-0-1.sslip.io', 'https://comms.localtest.me', 'https://app.lvh.me'])(
    'refuses %s: a public name for a loopback or private address',
    (url) => expect(unreachableUrl(url)).toMatch(LOCAL),
  );

  it.each([
    'https://abc.ngrok.pizza',
    'https://abc.ngrok.pro',
    'https://laptop.tail1234.ts.net',
    'https://abc.share.zrok.io',
    'https://fluffy-space-8080.app.github.dev',
    'https://abc.sharedwithexpose.com',
    'https://abc.lhr.life',
    'https://abc.localhost.run',
  ])('refuses the tunnel %s', (url) => expect(unreachableUrl(url)).toMatch(/tunnel/));

  it.each([
    ['0.0.0.0/8', 'https://0.1.2.3'],
    ['100.64/10', 'https://100.100.1.1'],
    ['169.254/16', 'https://169.254.169.254'],
    ['192.0.0/24', 'https://192.0.0.8'],
    ['192.0.2/24', 'https://192.0.2.10'],
    ['198.18/15', 'https://198.19.1.1'],
    ['198.51.100/24', 'https://198.51.100.7'],
    ['203.0.113/24', 'https://203.0.113.9'],
    ['224/4', 'https://239.1.1.1'],
    ['240/4', 'https://255.255.255.255'],
    ['fe80::/10', 'https://[fe80::1]'],
    ['::ffff:127.0.0.1', 'https://[::ffff:127.0.0.1]'],
    ['::ffff:8.8.8.8 (mapped)', 'https://[::ffff:8.8.8.8]'],
    ['64:ff9b::/96', 'https://[64:ff9b::10.0.0.1]'],
    ['2001:db8::/32', 'https://[2001:db8::1]'],
    ['127.0.0.1 in hex', 'https://0x7f.0.0.1'],
    ['127.0.0.1 as one decimal', 'https://2130706433'],
    ['127.0.0.1 in octal', 'https://0177.0.0.01'],
    ['127.0.0.1 shortened', 'https://127.1'],
    ['10.0.0.1 in hex as one number', 'https://0x0a000001'],
  ])('refuses a reserved address: %s (%s)', (_range, url) => expect(unreachableUrl(url)).toMatch(LOCAL));

  it('accepts public https URLs and public addresses next to the reserved ranges', () => {
    for (const url of [
      'https://comms.acme.com',
      'https://comms-1234-dev.twil.io',
      'https://ngrok.com.acme.com',
      'https://8.8.8.8',
      'https://172.32.0.1',
      'https://100.128.0.1',
      'https://[2606:4700::1111]',
    ])
      expect(unreachableUrl(url)).toBeUndefined();
  });

  it('isReservedAddress: addresses only, never a name', () => {
    expect(isReservedAddress('127.0.0.1')).toBe(true);
    expect(isReservedAddress('::1')).toBe(true);
    expect(isReservedAddress('localhost')).toBe(false);
    expect(isReservedAddress('8.8.8.8')).toBe(false);
  });
});

describe('isLoopbackName (the product\'s one rule for "this machine": the settings and the doctor ask it)', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '[::1]', '::1'])('%s names this machine', (name) =>
    expect(isLoopbackName(name)).toBe(true),
  );
  it.each(['localhost.example.com', '127.0.0.2', '10.0.0.5', 'comms-1234.twil.io', ''])('%s does not', (name) =>
    expect(isLoopbackName(name)).toBe(false),
  );
});
