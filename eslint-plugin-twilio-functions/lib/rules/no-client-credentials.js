'use strict';
// Public assets and browser code are readable by anyone: no credentials, no REST client there.

const { calleeName, docs, isRequireOf, propertyName, relativeFilename, staticString } = require('../utils');

const DEFAULTS = {
  publicFiles: ['(^|/)assets/(?!(.*/)?[^/]*\\.private\\.[^/]+$)', '(^|/)(public|static|www|client|browser)/'],
  browserGlobals: true,
  credentials: ['AUTH_TOKEN', 'TWILIO_AUTH_TOKEN', 'API_SECRET', 'TWILIO_API_SECRET', 'API_KEY_SECRET', 'authToken', 'apiSecret'],
};

module.exports = {
  meta: {
    type: 'problem',
    docs: docs(
      'no-client-credentials',
      'Disallow Twilio credentials, getTwilioClient and the REST client in public assets and browser code',
      true,
    ),
    schema: [
      {
        type: 'object',
        properties: {
          publicFiles: { type: 'array', items: { type: 'string' } },
          browserGlobals: { type: 'boolean' },
          credentials: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [DEFAULTS],
    messages: {
      restClient:
        "`{{what}}` in {{where}}: the Twilio REST client needs your credentials and anyone can read this file. Call a Function (or a `*.private` asset's code run by one) that does the Twilio work and returns only what the page needs.",
      credential:
        '`{{name}}` in {{where}}: anyone can read this file, so a credential here is a leaked one. Keep credentials in Functions; give the browser a short-lived Access Token from a Function instead.',
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const filename = relativeFilename(context);
    const publicFile = options.publicFiles.some((source) => new RegExp(source).test(filename));
    const globals = (context.languageOptions && context.languageOptions.globals) || {};
    const browser = options.browserGlobals && 'window' in globals && 'document' in globals;
    if (!publicFile && !browser) return {};
    const where = publicFile ? 'a public asset' : 'browser code';
    const credentials = new Set(options.credentials);
    const reported = new Set();
    const report = (node, messageId, data) => {
      if (reported.has(node)) return;
      reported.add(node);
      context.report({ node, messageId, data: { ...data, where } });
    };
    const isTwilioModule = (source) => source === 'twilio' || (typeof source === 'string' && source.startsWith('twilio/lib'));

    return {
      ImportDeclaration(node) {
        if (isTwilioModule(node.source.value)) report(node, 'restClient', { what: `import from '${node.source.value}'` });
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && isTwilioModule(staticString(node.arguments[0]))) {
          report(node, 'restClient', { what: `require('${staticString(node.arguments[0])}')` });
        } else if (isRequireOf(node.callee, 'twilio')) {
          // require('twilio')(…) is reported at the require.
        } else if (calleeName(node.callee) === 'getTwilioClient') {
          report(node, 'restClient', { what: 'getTwilioClient()' });
        }
      },
      NewExpression(node) {
        const name = calleeName(node.callee);
        if (name === 'Twilio') report(node, 'restClient', { what: 'new Twilio()' });
      },
      MemberExpression(node) {
        const name = propertyName(node);
        if (name && credentials.has(name)) report(node, 'credential', { name });
        if (name === 'getTwilioClient' && node.parent.type !== 'CallExpression') report(node, 'restClient', { what: 'getTwilioClient' });
      },
      Identifier(node) {
        if (!credentials.has(node.name)) return;
        const parent = node.parent;
        if (parent.type === 'MemberExpression' && parent.property === node) return;
        report(node, 'credential', { name: node.name });
      },
    };
  },
};
