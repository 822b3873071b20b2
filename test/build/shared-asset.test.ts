import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FUNCTIONS_DIR, SHARED_ASSET_FILE } from '../../local/layout';
import { invokeBuilt } from '../support/built-function';
import { match } from '../support/match';

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
    const health = await invokeBuilt(
      'health',
      { DOMAIN_NAME: 'comms-1234-dev.twil.io' },
      { request: { headers: {}, cookies: {} } },
      elsewhere,
    );
    expect(health.statusCode).toBe(200);
    // No credentials here: whether sends are paused cannot be read.
    expect(health.body).toEqual({ status: 'ok', version: match.any(String), sandbox: false, paused: 'unknown' });
  });
});
