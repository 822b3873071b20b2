'use strict';
// eslint-plugin-twilio-functions: the plugin object ESLint loads (rules, configs.recommended).

const { name, version } = require('./package.json');

const rules = {
  'no-hardcoded-sid': require('./lib/rules/no-hardcoded-sid'),
  'no-hardcoded-auth-token': require('./lib/rules/no-hardcoded-auth-token'),
  'webhook-signature': require('./lib/rules/webhook-signature'),
  'no-client-credentials': require('./lib/rules/no-client-credentials'),
  'e164-before-send': require('./lib/rules/e164-before-send'),
  'no-hardcoded-phone': require('./lib/rules/no-hardcoded-phone'),
  'handle-twilio-errors': require('./lib/rules/handle-twilio-errors'),
  'specific-error-codes': require('./lib/rules/specific-error-codes'),
  'stop-keywords': require('./lib/rules/stop-keywords'),
  'opt-out-before-send': require('./lib/rules/opt-out-before-send'),
};

/** Severities of `configs.recommended`; specific-error-codes is advice, off unless you opt in. */
const recommendedRules = {
  'twilio-functions/no-hardcoded-sid': 'error',
  'twilio-functions/no-hardcoded-auth-token': 'error',
  'twilio-functions/webhook-signature': 'error',
  'twilio-functions/no-client-credentials': 'error',
  'twilio-functions/e164-before-send': 'warn',
  'twilio-functions/no-hardcoded-phone': 'warn',
  'twilio-functions/handle-twilio-errors': 'warn',
  'twilio-functions/specific-error-codes': 'off',
  'twilio-functions/stop-keywords': 'warn',
  'twilio-functions/opt-out-before-send': 'warn',
};

/** typescript-eslint's parser, when the project has it, so `.ts` Functions parse with no more config. */
function typeScriptParser() {
  try {
    return require('typescript-eslint').parser;
  } catch {
    return undefined;
  }
}

const plugin = { meta: { name, version }, rules, configs: {} };

const parser = typeScriptParser();

/**
 * Flat config: `...twilioFunctions.configs.recommended` in eslint.config.js. Knows the Functions
 * globals (`Twilio`, `Runtime`) and, when typescript-eslint is installed, parses TypeScript.
 */
plugin.configs.recommended = [
  {
    name: 'twilio-functions/recommended',
    files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'],
    plugins: { 'twilio-functions': plugin },
    languageOptions: { globals: { Twilio: 'readonly', Runtime: 'readonly' } },
    rules: recommendedRules,
  },
  ...(parser ? [{ name: 'twilio-functions/typescript', files: ['**/*.{ts,cts,mts,tsx}'], languageOptions: { parser } }] : []),
];

/** Every rule on, specific-error-codes included (as a warning). */
plugin.configs.all = [
  {
    ...plugin.configs.recommended[0],
    name: 'twilio-functions/all',
    rules: { ...recommendedRules, 'twilio-functions/specific-error-codes': 'warn' },
  },
  ...plugin.configs.recommended.slice(1),
];

module.exports = plugin;
