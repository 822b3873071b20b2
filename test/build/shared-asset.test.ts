import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FUNCTIONS_DIR, SHARED_ASSET, SHARED_ASSET_FILE } from '../../local/layout';

/** The runtime's Response, as much of it as a handler uses. */
class FakeResponse {
  statusCode = 200;
  body: unknown;
  headers: Record<string, string> = {};
  setStatusCode(code: number) {
    this.statusCode = code;
    return this;
  }
  setBody(body: unknown) {
    this.body = body;
    return this;
  }
  appendHeader(key: string, value: string) {
    this.headers[key] = value;
    return this;
  }
}

function builtFunctions(): string[] {
  return readdirSync(FUNCTIONS_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('the shared private asset', () => {
  it('is one self-contained file: neither it nor any Function requires a sibling file', () => {
    const relativeRequire = /require\(\s*["']\.{1,2}\//;
    expect(readFileSync(SHARED_ASSET_FILE, 'utf8')).not.toMatch(relativeRequire);
    for (const file of builtFunctions()) expect(readFileSync(file, 'utf8')).not.toMatch(relativeRequire);
  });

  it('serves the built Functions when the asset sits at an unrelated path, as in a deployed service', async () => {
    const elsewhere = path.join(mkdtempSync(path.join(os.tmpdir(), 'deployed-')), 'ZH0123456789abcdef.js');
    copyFileSync(SHARED_ASSET_FILE, elsewhere);
    const globals = globalThis as Record<string, unknown>;
    globals.Runtime = { getAssets: () => ({ [SHARED_ASSET]: { path: elsewhere, open: () => readFileSync(elsewhere, 'utf8') } }) };
    globals.Twilio = { ...require('twilio'), Response: FakeResponse };
    try {
      const health = await new Promise<FakeResponse>((resolve) => {
        jest.isolateModules(() => {
          const { handler } = require(path.join(FUNCTIONS_DIR, 'health.js'));
          handler({ DOMAIN_NAME: 'comms-1234-dev.twil.io' }, { request: { headers: {} } }, (_error: null, response: FakeResponse) => resolve(response));
        });
      });
      expect(health.statusCode).toBe(200);
      expect(health.body).toEqual({ status: 'ok', version: expect.any(String), sandbox: false });
    } finally {
      delete globals.Runtime;
      delete globals.Twilio;
    }
  });
});
