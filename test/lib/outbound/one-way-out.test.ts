import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '../../../src');
const OWNER = 'lib/outbound/twilio-requests.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

// The gate is structural: a send that skips consent, geography and limits cannot be written
// without this test failing.
describe('one way out', () => {
  it('finds the sources it guards', () => {
    expect(files.map((file) => file.path)).toContain(OWNER);
    expect(files.length).toBeGreaterThan(50);
  });

  it('only the Twilio-requests module creates messages or calls', () => {
    const creators = files.filter((file) => /\b(messages|calls)\s*\.\s*create\s*\(/.test(file.text)).map((file) => file.path);
    expect(creators).toEqual([OWNER]);
  });

  it('only the gate imports the Twilio-requests module (types aside)', () => {
    const importers = files
      .filter((file) => /^import\s+(?!type\b)[^;]*from\s+'[./]*(outbound\/)?twilio-requests'/m.test(file.text))
      .map((file) => file.path);
    expect(importers).toEqual(['lib/outbound/gate.ts']);
  });

  it('routes never reach the Twilio client to send', () => {
    const routes = files.filter((file) => file.path.startsWith('functions/'));
    expect(routes.filter((file) => /twilio\(\)\s*\.\s*(messages|calls)\b/.test(file.text)).map((file) => file.path)).toEqual([]);
  });
});
