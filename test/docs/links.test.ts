import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../../local/layout';

// README is the front page and docs/ holds one page per topic: a section moved from one page to
// another must not leave a link behind. GitHub's heading anchors: lower-case, punctuation dropped,
// spaces to `-`, and a repeated heading gets `-1`, `-2`, ...

/** Markdown outside fenced code blocks and inline code spans. */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      lines.push('');
    } else if (fence !== undefined) lines.push('');
    else lines.push(line.replace(/`[^`]*`/g, (code) => code.replace(/[[\]()]/g, ' ')));
  }
  return lines;
}

/** The GitHub slug of a heading's text. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}_\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown file's headings make, duplicates numbered as GitHub does. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker && (fence === undefined || fence === marker)) fence = fence === undefined ? marker : undefined;
    if (fence !== undefined || marker) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The link targets `[x](target)` and `![x](target)` of a Markdown file, with their line numbers. */
function linksOf(markdown: string): Array<{ line: number; target: string }> {
  const links: Array<{ line: number; target: string }> = [];
  prose(markdown).forEach((text, index) => {
    for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: index + 1, target: match[1] });
  });
  return links;
}

/** The broken relative links of one file: a missing file, or an anchor no heading makes. */
function brokenLinks(file: string): string[] {
  const markdown = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const { line, target } of linksOf(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http(s), mailto: not checked
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = pathPart === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(pathPart));
    const where = `${path.relative(ROOT_DIR, file)}:${line} → ${target}`;
    if (!existsSync(resolved)) broken.push(`${where}: no such file`);
    else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor)))
      broken.push(`${where}: no heading with that anchor`);
  }
  return broken;
}

const DOCS_DIR = path.join(ROOT_DIR, 'docs');
const PAGES = [
  path.join(ROOT_DIR, 'README.md'),
  ...readdirSync(DOCS_DIR)
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(DOCS_DIR, name)),
];

describe('links in README.md and docs/*.md', () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('`Idempotency-Key`: retries that never send twice')).toBe('idempotency-key-retries-that-never-send-twice');
    expect(slug('Track: `POST /sms/status`, `GET /sms/message`')).toBe('track-post-smsstatus-get-smsmessage');
    expect(slug('Verify (2FA) with SMS-pumping defence')).toBe('verify-2fa-with-sms-pumping-defence');
    expect([...anchorsOf('# A\n## A\n```\n# A\n```\n### A\n')]).toEqual(['a', 'a-1', 'a-2']);
  });

  it('finds links outside code only', () => {
    expect(linksOf('[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n![d](e.png "title")').map((link) => link.target)).toEqual([
      'x.md',
      'e.png',
    ]);
  });

  it('checks README and every page of docs/', () => {
    expect(PAGES.map((page) => path.relative(ROOT_DIR, page))).toEqual(expect.arrayContaining(['README.md', 'docs/configuration.md']));
  });

  it.each(PAGES.map((page) => [path.relative(ROOT_DIR, page), page]))('%s: every relative link and anchor resolves', (_name, page) => {
    expect(brokenLinks(page)).toEqual([]);
  });
});
