// The plugin as a package: what its package.json exports, a page and fixtures for every rule, the
// severities of the rule table, and the two-line setup working for an outside Functions project.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ESLint, Linter } from 'eslint';
import plugin from '../../eslint-plugin-twilio-functions';
import { PLUGIN_DIR, fixtures } from './fixtures';

const SEVERITIES: Record<string, Linter.RuleSeverity> = {
  'no-hardcoded-sid': 'error',
  'no-hardcoded-auth-token': 'error',
  'webhook-signature': 'error',
  'no-client-credentials': 'error',
  'e164-before-send': 'warn',
  'no-hardcoded-phone': 'warn',
  'handle-twilio-errors': 'warn',
  'specific-error-codes': 'off',
  'stop-keywords': 'warn',
  'opt-out-before-send': 'warn',
};

describe('eslint-plugin-twilio-functions package', () => {
  const manifest = JSON.parse(readFileSync(path.join(PLUGIN_DIR, 'package.json'), 'utf8')) as {
    name: string;
    main: string;
    peerDependencies: Record<string, string>;
    dependencies?: Record<string, string>;
  };

  it('is named by ESLint convention and needs no install of its own', () => {
    expect(manifest.name).toBe('eslint-plugin-twilio-functions');
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['eslint', 'typescript-eslint']);
    expect(manifest.dependencies).toBeUndefined();
    expect(plugin).toBe(require(path.join(PLUGIN_DIR, manifest.main)));
  });

  it('exports the ten rules with recommended at the severities of the rule table', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual(Object.keys(SEVERITIES).sort());
    const [recommended] = plugin.configs.recommended;
    const expected = Object.fromEntries(Object.entries(SEVERITIES).map(([name, severity]) => [`twilio-functions/${name}`, severity]));
    expect(recommended?.rules).toEqual(expected);
  });

  it.each(Object.keys(SEVERITIES))('%s has a docs page, messages, a schema and JS + TS fixtures both ways', (name) => {
    const rule = plugin.rules[name];
    const page = path.join(PLUGIN_DIR, 'docs', 'rules', `${name}.md`);
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^# twilio-functions/${name}\\n`));
    expect(rule.meta?.docs?.url).toContain(`docs/rules/${name}.md`);
    expect(Object.keys(rule.meta?.messages ?? {}).length).toBeGreaterThan(0);
    expect(rule.meta?.schema).toBeDefined();
    for (const kind of ['bad', 'good'] as const) {
      const files = fixtures(name, kind).map((fixture) => fixture.file);
      expect(files.some((file) => file.endsWith('.js'))).toBe(true);
      expect(files.some((file) => file.endsWith('.ts'))).toBe(true);
    }
  });

  it('works on an outside Functions project with the two lines of the README', () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'functions-project-'));
    try {
      // The project "installed" the plugin: node_modules/eslint-plugin-twilio-functions.
      mkdirSync(path.join(project, 'node_modules'));
      symlinkSync(PLUGIN_DIR, path.join(project, 'node_modules', 'eslint-plugin-twilio-functions'), 'dir');
      writeFileSync(
        path.join(project, 'eslint.config.js'),
        "const twilioFunctions = require('eslint-plugin-twilio-functions');\nmodule.exports = [...twilioFunctions.configs.recommended];\n",
      );
      mkdirSync(path.join(project, 'functions'));
      writeFileSync(
        path.join(project, 'functions', 'incoming.js'),
        "exports.handler = (context, event, callback) => {\n  const twiml = new Twilio.twiml.MessagingResponse();\n  if (event.Body.trim().toLowerCase() === 'hours') twiml.message('9am to 5pm');\n  callback(null, twiml);\n};\n",
      );
      writeFileSync(
        path.join(project, 'functions', 'incoming.protected.ts'),
        "export const handler = (context: unknown, event: { Body: string }, callback: (e: null, r: unknown) => void) => {\n  if (event.Body.trim().toUpperCase() === 'STOP') return callback(null, {});\n  callback(null, new Twilio.twiml.MessagingResponse());\n};\n",
      );
      const eslintBin = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');
      let output: string;
      try {
        output = execFileSync(process.execPath, [eslintBin, '--format', 'json', 'functions'], { cwd: project, encoding: 'utf8' });
      } catch (error) {
        output = (error as { stdout: string }).stdout; // exit code 1: there are errors, as expected
      }
      const results = JSON.parse(output) as ESLint.LintResult[];
      const byFile = Object.fromEntries(
        results.map((result) => [path.basename(result.filePath), result.messages.map((message) => message.ruleId)]),
      );
      expect(byFile['incoming.js']?.sort()).toEqual(['twilio-functions/stop-keywords', 'twilio-functions/webhook-signature']);
      expect(byFile['incoming.protected.ts']).toEqual([]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
