import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The console's files (plain HTML / CSS / JS, no build step), served by the sandbox itself. */
const CONSOLE_DIR = path.resolve(__dirname, '..', 'console');

const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/console/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/console/icon.svg': { file: 'icon.svg', type: 'image/svg+xml' },
};

/**
 * Headers of every console file: only the sandbox's own scripts, styles and connections; never
 * framed (no click-jacking of its buttons); no referrer leaves the page.
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export function isConsolePath(pathname: string): boolean {
  return pathname in FILES;
}

/** The file for `pathname` (read on each request, so edits show on reload), or `null`. */
export async function readConsoleFile(pathname: string): Promise<{ body: Buffer; type: string } | null> {
  const entry = FILES[pathname];
  if (!entry) return null;
  return { body: await readFile(path.join(CONSOLE_DIR, entry.file)), type: entry.type };
}
