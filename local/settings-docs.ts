import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { settingsIn, type Setting } from '../src/lib/config/define';
import { GROUP_TITLES, SCHEMA, type Group } from '../src/lib/config/schema';
import { ROOT_DIR } from './layout';

/**
 * `.env.example` and the configuration tables of docs/configuration.md, written from the settings schema
 * (`npm run settings:docs`); `test/lib/config/settings-docs.test.ts` fails when they drift.
 */

export const ENV_EXAMPLE_PATH = path.join(ROOT_DIR, '.env.example');
export const CONFIGURATION_DOC_PATH = path.join(ROOT_DIR, 'docs', 'configuration.md');
const TABLE_START = '<!-- settings-table:start (written by npm run settings:docs from src/lib/config/schema.ts) -->';
const TABLE_END = '<!-- settings-table:end -->';

const WIDTH = 100;

const groups = (): Array<[Group, Array<Setting<unknown>>]> =>
  (Object.keys(GROUP_TITLES) as Group[]).map((group) => [group, settingsIn(SCHEMA[group])]);

/** Words wrapped into `# ` comment lines of at most WIDTH columns. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > WIDTH && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  if (line !== '#') lines.push(line);
  return lines;
}

const marks = (spec: Setting<unknown>): string =>
  [spec.secret ? 'Secret.' : '', spec.localOnly ? 'Local only: never deployed.' : ''].filter(Boolean).join(' ');

export function renderEnvExample(): string {
  const out = [
    '# twilio-comms configuration. `npm start` copies this file to .env on first run (with a fresh',
    '# API_TOKEN); the defaults run everything against the embedded local Twilio sandbox.',
    '# .env is git-ignored: never commit real credentials. This file is written from',
    '# src/lib/config/schema.ts by `npm run settings:docs`: edit the schema, not this file.',
  ];
  for (const [group, settings] of groups()) {
    const title = `# --- ${GROUP_TITLES[group]} `;
    out.push('', title.padEnd(WIDTH, '-'));
    for (const spec of settings) {
      out.push(...comment([spec.summary, spec.details ?? '', marks(spec)].filter(Boolean).join(' ')), `${spec.name}=${spec.example ?? ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function ifBroken(spec: Setting<unknown>): string {
  if (spec.ifBroken) return spec.ifBroken;
  if (spec.disables?.length)
    return `${spec.disables.map((route) => `\`${route}\``).join(', ')} ${spec.disables.length === 1 ? 'answers' : 'answer'} 503`;
  return 'the default is used';
}

function renderSettingsTables(): string {
  const out = [TABLE_START];
  for (const [group, settings] of groups()) {
    out.push('', `**${GROUP_TITLES[group]}**`, '', '| variable | meaning | if its value is broken |', '| --- | --- | --- |');
    for (const spec of settings)
      out.push(`| \`${spec.name}\` | ${cell([spec.summary, marks(spec)].filter(Boolean).join(' '))} | ${cell(ifBroken(spec))} |`);
  }
  out.push('', TABLE_END);
  return out.join('\n');
}

/** The configuration page with its settings block replaced by the rendered tables. */
export function withSettingsTables(page: string): string {
  const start = page.indexOf(TABLE_START);
  const end = page.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/configuration.md has no settings block (${TABLE_START} … ${TABLE_END})`);
  return page.slice(0, start) + renderSettingsTables() + page.slice(end + TABLE_END.length);
}

/** Writes `.env.example` and docs/configuration.md's tables; returns the files that changed. */
export function writeSettingsDocs(): string[] {
  const changed: string[] = [];
  const example = renderEnvExample();
  if (readFileSync(ENV_EXAMPLE_PATH, 'utf8') !== example) {
    writeFileSync(ENV_EXAMPLE_PATH, example);
    changed.push('.env.example');
  }
  const page = readFileSync(CONFIGURATION_DOC_PATH, 'utf8');
  const updated = withSettingsTables(page);
  if (updated !== page) {
    writeFileSync(CONFIGURATION_DOC_PATH, updated);
    changed.push('docs/configuration.md');
  }
  return changed;
}
