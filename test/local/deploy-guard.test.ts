import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { deployEnvFrom, deployRefusals, LOCAL_ONLY } from '../../local/deploy-guard';
import { ENV_EXAMPLE_FILE, readEnvFile } from '../../local/env-file';
import { deploysToSandbox, isSandboxAt } from '../../local/sandbox-deploy';
import { startSandbox, type Sandbox } from '../../sandbox';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../src/lib/config/schema';
import { match } from '../support/match';

/** A token made once with crypto.randomBytes(32), written down. */
const STRONG_TOKEN = 'rYFqXd32xUDeA2fXH4biUEEMwyvHxz8voHscofi0UzE';
const real = {
  ACCOUNT_SID: 'AC' + 'a1'.repeat(16),
  API_KEY: 'SK' + 'b2'.repeat(16),
  API_SECRET: 'XBy2S6ViQH7Ph75imXWPM7-K800hJ-rK',
  API_TOKEN: STRONG_TOKEN,
};

describe('deployRefusals', () => {
  it('refuses the sandbox defaults from .env.example, one line per variable with its fix', () => {
    const example = { ...readEnvFile(ENV_EXAMPLE_FILE), API_TOKEN: STRONG_TOKEN };
    expect(deployRefusals(example, { allowAuthToken: true })).toEqual([
      match.stringMatching(/^TWILIO_SANDBOX_URL: is local only: .*\. Fix: remove it from the env file you deploy/),
      match.stringMatching(/^ACCOUNT_SID: is the local sandbox's test value.*\. Fix: copy the Account SID/),
      match.stringMatching(/^AUTH_TOKEN: is the local sandbox's test value.*\. Fix: copy the Auth Token/),
      match.stringMatching(/^CONVERSATIONS_NUMBER: is the local sandbox's test value.*\. Fix: write it as \+ and the country code/),
    ]);
  });

  it("to the sandbox (through its proxy, trusting its CA), its test account and Auth Token are the account's: only local-only variables are refused", () => {
    const example: Record<string, string> = { ...readEnvFile(ENV_EXAMPLE_FILE), API_TOKEN: STRONG_TOKEN };
    expect(deployRefusals(example, { toSandbox: true })).toEqual([match.stringMatching(/^TWILIO_SANDBOX_URL: is local only/)]);
    const { TWILIO_SANDBOX_URL: _url, ...deployable } = example;
    expect(deployRefusals(deployable, { toSandbox: true })).toEqual([]);
  });

  describe('a deploy goes to the sandbox only through HTTP_PROXY at this very sandbox, trusting its CA', () => {
    let caDir: string;
    let sandbox: Sandbox;
    beforeAll(async () => {
      caDir = mkdtempSync(path.join(os.tmpdir(), 'to-sandbox-'));
      sandbox = await startSandbox({ accountSid: `AC${'c3'.repeat(16)}`, authToken: 'c4'.repeat(16), proxy: { caDir } });
    });
    afterAll(() => sandbox.close());

    it('is the sandbox when the proxy is the sandbox and the CA its own', async () => {
      const ca = sandbox.caPath ?? '';
      expect(await deploysToSandbox({ HTTP_PROXY: sandbox.url, NODE_EXTRA_CA_CERTS: ca }, ca)).toBe(true);
      expect(await isSandboxAt(sandbox.url.replace('127.0.0.1', 'localhost'), ca)).toBe(true);
    });

    it('is not: another loopback proxy, another CA, http_proxy (which serverless-api ignores), a remote proxy, no proxy', async () => {
      const ca = sandbox.caPath ?? '';
      const other = path.join(caDir, 'corporate.pem');
      writeFileSync(other, readFileSync(ca));
      const elsewhere = http.createServer((_request, response) => response.end('{"caFingerprint256":"nope"}'));
      await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
      const corporate = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
      try {
        expect(await deploysToSandbox({ HTTP_PROXY: corporate, NODE_EXTRA_CA_CERTS: ca }, ca)).toBe(false);
        expect(await deploysToSandbox({ HTTP_PROXY: sandbox.url, NODE_EXTRA_CA_CERTS: other }, ca)).toBe(false);
        expect(await deploysToSandbox({ http_proxy: sandbox.url, NODE_EXTRA_CA_CERTS: ca }, ca)).toBe(false);
        expect(await deploysToSandbox({ HTTP_PROXY: 'http://proxy.corp.example:3001', NODE_EXTRA_CA_CERTS: ca }, ca)).toBe(false);
        expect(await deploysToSandbox({ NODE_EXTRA_CA_CERTS: ca }, ca)).toBe(false);
        expect(await deploysToSandbox({ HTTP_PROXY: 'not a url', NODE_EXTRA_CA_CERTS: ca }, ca)).toBe(false);
      } finally {
        elsewhere.close();
      }
    });
  });

  it('refuses sandbox credentials even without the sandbox URL, and never prints a secret', () => {
    expect(deployRefusals({ ...real, ACCOUNT_SID: SANDBOX_ACCOUNT_SID })).toEqual([match.stringMatching(/^ACCOUNT_SID: /)]);
    expect(deployRefusals({ ...real, AUTH_TOKEN: SANDBOX_AUTH_TOKEN })).toEqual([match.stringMatching(/^AUTH_TOKEN: /)]);
    expect(deployRefusals({ ...real, AUTH_TOKEN: SANDBOX_AUTH_TOKEN }).join('\n')).not.toContain(SANDBOX_AUTH_TOKEN);
    expect(deployRefusals({ ...real, AUTH_TOKEN_SECONDARY: 'e'.repeat(32) })).toEqual([
      match.stringMatching(/^AUTH_TOKEN_SECONDARY: is local only/),
    ]);
  });

  it('refuses a missing, short or guessable API token (32 × "k" is long enough and has no entropy), and any broken value', () => {
    expect(deployRefusals({ ...real, API_TOKEN: '' })).toEqual([match.stringMatching(/^API_TOKEN: is missing/)]);
    expect(deployRefusals({ ...real, API_TOKEN: 'short' })).toEqual([
      match.stringMatching(/^API_TOKEN: each token must be at least 32 characters/),
    ]);
    expect(deployRefusals({ ...real, API_TOKEN: 'k'.repeat(43) })).toEqual([
      match.stringMatching(/^API_TOKEN: has too little entropy .*\. Fix: generate one/),
    ]);
    expect(deployRefusals({ ...real, API_TOKEN: `${STRONG_TOKEN},${'k'.repeat(43)}` })).toEqual([
      match.stringMatching(/^API_TOKEN: a token has too little entropy/),
    ]);
    expect(deployRefusals({ ...real, MAX_SEGMENTS: 'ten' })).toEqual([match.stringMatching(/^MAX_SEGMENTS: must be a whole number/)]);
  });

  it('refuses a PUBLIC_BASE_URL that is local, private or a tunnel', () => {
    for (const url of ['http://localhost:3000', 'https://192.168.1.20', 'https://abc.ngrok-free.app']) {
      expect(deployRefusals({ ...real, PUBLIC_BASE_URL: url })).toEqual([match.stringMatching(/^PUBLIC_BASE_URL: /)]);
    }
    expect(deployRefusals({ ...real, PUBLIC_BASE_URL: 'https://comms.acme.com' })).toEqual([]);
  });

  it('prefers an API key: the Auth Token alone is refused, saying why, unless allowed', () => {
    const { API_KEY: _key, API_SECRET: _secret, ...tokenOnly } = { ...real, AUTH_TOKEN: 'f0'.repeat(16) };
    expect(deployRefusals(tokenOnly)).toEqual([
      match.stringMatching(/^API_KEY, API_SECRET: are missing\. Twilio recommends API keys in production.*--allow-auth-token/),
    ]);
    expect(deployRefusals(tokenOnly, { allowAuthToken: true })).toEqual([]);
    expect(deployRefusals({ ...real, AUTH_TOKEN: 'f0'.repeat(16) })).toEqual([]);
  });

  it('accepts real credentials with an API key', () => {
    expect(deployRefusals(real)).toEqual([]);
  });
});

describe('deployEnvFrom (.env.deploy made from .env)', () => {
  it('keeps every line but the local-only variables', () => {
    expect(LOCAL_ONLY).toEqual(['TWILIO_SANDBOX_URL', 'AUTH_TOKEN_SECONDARY']);
    const local = readFileSync(ENV_EXAMPLE_FILE, 'utf8');
    const deploy = deployEnvFrom(local);
    expect(deploy).not.toMatch(/^TWILIO_SANDBOX_URL=/m);
    const names = (text: string) => [...text.matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect(names(deploy)).toEqual(names(local).filter((name) => !LOCAL_ONLY.includes(name)));
    expect(deployEnvFrom('export TWILIO_SANDBOX_URL=http://localhost:3001\nACCOUNT_SID=AC1\n')).toMatch(/\nACCOUNT_SID=AC1\n?$/);
  });
});
