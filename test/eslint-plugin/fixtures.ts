// Reads the plugin's fixture corpus (eslint-plugin-twilio-functions/fixtures/<rule>/{bad,good}/…)
// into RuleTester cases. A fixture's leading comments say what it expects:
//   // expect: messageId, messageId   (bad fixtures: the reports, in source order)
//   // options: { …JSON… }            (the rule's options)
//   // globals: browser               (lint it as browser code)
// `<<AC_SID>>` / `<<SK_SID>>` stand for an account or API key SID: made up here, so the repository
// holds no SID that looks real.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Linter, RuleTester } from 'eslint';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export const PLUGIN_DIR = path.resolve(__dirname, '../../eslint-plugin-twilio-functions');
const FIXTURES_DIR = path.join(PLUGIN_DIR, 'fixtures');

export interface Fixture {
  file: string;
  code: string;
  expect: string[];
  options?: unknown[];
  languageOptions: Linter.LanguageOptions;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?[jt]sx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

const header = (code: string, key: string): string | undefined => new RegExp(`^// ${key}: (.*)$`, 'm').exec(code)?.[1]?.trim();

function languageOptionsFor(file: string, code: string): Linter.LanguageOptions {
  const functionsGlobals = { Twilio: 'readonly', Runtime: 'readonly' } as const;
  const browser = header(code, 'globals') === 'browser' ? globals.browser : {};
  if (/\.[cm]?tsx?$/.test(file)) return { parser: tseslint.parser, globals: { ...functionsGlobals, ...browser } };
  const module = /^\s*(import|export)\s/m.test(code);
  return { sourceType: module ? 'module' : 'commonjs', globals: { ...functionsGlobals, ...browser } };
}

/** The fixtures of one rule, `bad` or `good`. */
export function fixtures(rule: string, kind: 'bad' | 'good'): Fixture[] {
  return filesUnder(path.join(FIXTURES_DIR, rule, kind)).map((file) => {
    const code = readFileSync(file, 'utf8').replace(
      /<<(AC|SK)_SID>>/g,
      (_, prefix: string) => prefix + createHash('sha1').update(file).digest('hex').slice(0, 32),
    );
    const expect = (header(code, 'expect') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const options = header(code, 'options');
    return {
      file,
      code,
      expect,
      ...(options ? { options: [JSON.parse(options) as unknown] } : {}),
      languageOptions: languageOptionsFor(file, code),
    };
  });
}

const name = (fixture: Fixture) => path.relative(FIXTURES_DIR, fixture.file);

export const validCase = (fixture: Fixture): RuleTester.ValidTestCase => ({
  name: name(fixture),
  code: fixture.code,
  filename: fixture.file,
  languageOptions: fixture.languageOptions,
  ...(fixture.options ? { options: fixture.options } : {}),
});

export const invalidCase = (fixture: Fixture): RuleTester.InvalidTestCase => ({
  ...validCase(fixture),
  errors: fixture.expect.map((messageId) => ({ messageId })),
});
