// npm run lint: TypeScript's errors (as tsc reports them), ESLint's and typescript-eslint's
// recommended rules (type-aware on our TypeScript), our own Twilio rules
// (eslint-plugin-twilio-functions) pointed at this project's helpers, and the import boundaries of
// ARCHITECTURE.md.
const { defineConfig, globalIgnores } = require('eslint/config');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');
const twilioFunctions = require('./eslint-plugin-twilio-functions');
const typeErrors = require('./local/eslint-type-errors');

/** Our TypeScript, all of it in tsconfig.json: linted with type information. */
const TYPED = ['{src,sandbox,local,scripts,test,bench}/**/*.ts'];

/** Rules we turn off for good, with the reason. */
const OFF = {
  // require() is how this project loads code at run time on purpose: the asset through
  // Runtime.getAssets() in every route, the runtime's Twilio global fallback, built files in tests.
  // Literal requires in routes are refused by the boundary rules below instead.
  '@typescript-eslint/no-require-imports': 'off',
};

/** `const { request, ...params } = event` drops a key on purpose; `_name` marks an unused binding. */
const UNUSED_VARS = ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }];

/** The outbound gate (src/lib/outbound/gate.ts): every message and call we originate passes it. */
const GATE = ['clearRecipient', 'clearAndSend', 'sendMessage', 'placeCall', 'mayReply'];

/** Our Twilio rules on the deployed code, pointed at our own helpers; all errors here. */
const TWILIO_RULES_FOR_SRC = {
  'twilio-functions/webhook-signature': ['error', { webhookWrappers: ['twilioWebhook', 'voiceWebhook'] }],
  'twilio-functions/e164-before-send': ['error', { normalizers: ['normalizePhone', ...GATE], resources: ['messages', 'calls'] }],
  'twilio-functions/opt-out-before-send': [
    'error',
    { checks: [...GATE, '/opt(ed)?_?out/i', '/consent/i'], resources: ['messages', 'calls'] },
  ],
  'twilio-functions/stop-keywords': [
    'error',
    { inboundReaders: ['readInboundMessage'], keywordChecks: ['answerInbound', 'classifyKeyword', '/keyword/i'] },
  ],
  'twilio-functions/handle-twilio-errors': 'error',
  'twilio-functions/no-hardcoded-phone': 'error',
  'twilio-functions/specific-error-codes': 'warn',
};

const restricted = (patterns) => ['error', { patterns }];

module.exports = defineConfig([
  globalIgnores(['dist/', 'coverage/', '.tmp/', 'eslint-plugin-twilio-functions/fixtures/']),

  js.configs.recommended,
  { rules: { 'no-unused-vars': UNUSED_VARS } },
  { files: ['**/*.{js,cjs}'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
  { files: ['test/fixtures/**/*.js'], languageOptions: { globals: { Twilio: 'readonly', Runtime: 'readonly' } } },
  // The sandbox console: plain browser scripts (so no-client-credentials treats them as browser code).
  { files: ['sandbox/console/**/*.js'], languageOptions: { sourceType: 'script', globals: globals.browser } },
  // The operator dashboard's script: a browser module, bundled with its chart library by scripts/build.ts.
  { files: ['src/dashboard/**/*.js'], languageOptions: { sourceType: 'module', globals: globals.browser } },

  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: { 'no-unused-vars': 'off', '@typescript-eslint/no-unused-vars': UNUSED_VARS, ...OFF },
  },
  {
    files: TYPED,
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    // TypeScript's own errors from the program the typed rules built (so npm test runs no separate tsc).
    plugins: { typescript: { rules: { errors: typeErrors } } },
    rules: { 'typescript/errors': 'error' },
  },

  // Twilio rules. Secrets are refused everywhere; the behaviour rules apply to what we deploy (src/).
  {
    files: ['**/*.{js,cjs,ts}'],
    plugins: { 'twilio-functions': twilioFunctions },
    rules: {
      'twilio-functions/no-hardcoded-sid': 'error',
      'twilio-functions/no-hardcoded-auth-token': 'error',
      'twilio-functions/no-client-credentials': 'error',
    },
  },
  { files: ['src/**/*.ts'], languageOptions: { globals: { Twilio: 'readonly', Runtime: 'readonly' } }, rules: TWILIO_RULES_FOR_SRC },
  {
    // The gate's own transport: called only by gate.ts, after consent, geography and limits
    // (test/lib/outbound keeps it the only module that sends), so its sends are checked upstream.
    files: ['src/lib/outbound/twilio-requests.ts'],
    rules: { 'twilio-functions/e164-before-send': 'off', 'twilio-functions/opt-out-before-send': 'off' },
  },

  // Import boundaries (ARCHITECTURE.md "Dependency rules").
  {
    files: ['sandbox/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restricted([
        {
          regex: '^(\\.\\./)+src(/|$)',
          message: 'The sandbox emulates Twilio on its own and never imports src/: they meet only over HTTP.',
        },
      ]),
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value=/^(\\.\\.\\/)+src(\\/|$)/]",
          message: 'The sandbox never requires src/.',
        },
      ],
    },
  },
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restricted([
        {
          regex: '^(\\.\\./)+(local|scripts|sandbox)(/|$)',
          message: 'Shared logic (the asset) never imports local/, scripts/ or sandbox/: they are not deployed.',
        },
        { regex: '^(\\.\\./)+functions(/|$)', message: 'Shared logic never imports a route.' },
      ]),
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value=/^\\./]",
          message: 'The asset is bundled: import shared code, never require() a relative path.',
        },
      ],
    },
  },
  {
    files: ['src/functions/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restricted([
        {
          regex: '^(?!(\\.\\./)+lib$)',
          message:
            "A route imports only the asset's type (`import type * as Comms from '../../lib'`); everything else comes from the asset at run time.",
        },
        {
          regex: '^(\\.\\./)+lib$',
          allowTypeImports: true,
          message: "Only `import type` from the lib: at run time a route loads it with require(Runtime.getAssets()['/comms.js'].path).",
        },
      ]),
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.type='Literal']",
          message:
            "A deployed route cannot require a sibling file or package: load shared code with require(Runtime.getAssets()['/comms.js'].path).",
        },
      ],
    },
  },
]);
