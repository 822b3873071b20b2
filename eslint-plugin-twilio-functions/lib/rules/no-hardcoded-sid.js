'use strict';
// Account, API key and service SIDs belong in the environment, not in source.

const { docs, isPlaceholder, mask } = require('../utils');

/** SID prefixes this rule knows, with the variable a Functions project usually keeps each in. */
const KINDS = {
  AC: { kind: 'Account', env: 'ACCOUNT_SID' },
  SK: { kind: 'API key', env: 'API_KEY' },
  MG: { kind: 'Messaging Service', env: 'MESSAGING_SERVICE_SID' },
  VA: { kind: 'Verify Service', env: 'VERIFY_SERVICE_SID' },
  IS: { kind: 'Sync Service', env: 'SYNC_SERVICE_SID' },
  ZS: { kind: 'Serverless Service', env: 'SERVICE_SID' },
};

const DEFAULTS = { prefixes: Object.keys(KINDS), allow: [], allowPlaceholders: true };

module.exports = {
  meta: {
    type: 'problem',
    docs: docs('no-hardcoded-sid', 'Disallow Account, API key and service SIDs written into source', true),
    schema: [
      {
        type: 'object',
        properties: {
          prefixes: { type: 'array', items: { type: 'string', pattern: '^[A-Z]{2}$' }, uniqueItems: true },
          allow: { type: 'array', items: { type: 'string' } },
          allowPlaceholders: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [DEFAULTS],
    messages: {
      hardcodedSid:
        'Hardcoded Twilio {{kind}} SID {{sid}}: read it from the environment (`context.{{env}}` in a Function, `process.env.{{env}}` elsewhere) so it never ships in source or leaks with it.',
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const pattern = new RegExp(`(?<![0-9A-Za-z])(${options.prefixes.join('|')})([0-9a-fA-F]{32})(?![0-9A-Za-z])`, 'g');
    const allowed = options.allow.map((source) => new RegExp(source));

    const check = (node, text) => {
      if (typeof text !== 'string' || text.length < 34) return;
      for (const match of text.matchAll(pattern)) {
        const [sid, prefix, hex] = match;
        if (options.allowPlaceholders && isPlaceholder(hex)) continue;
        if (allowed.some((regex) => regex.test(sid))) continue;
        const { kind, env } = KINDS[prefix] || { kind: prefix, env: `${prefix}_SID` };
        context.report({ node, messageId: 'hardcodedSid', data: { kind, env, sid: mask(sid) } });
      }
    };

    return {
      Literal(node) {
        check(node, node.value);
      },
      TemplateElement(node) {
        check(node, node.value.cooked);
      },
    };
  },
};
