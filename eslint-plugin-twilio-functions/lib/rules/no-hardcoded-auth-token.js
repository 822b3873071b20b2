'use strict';
// An auth token (32 hex digits) or API key secret written into source is a leaked credential.

const { calleeName, docs, isPlaceholder, isRequireOf, keyName, propertyName, staticString, unwrap } = require('../utils');

const DEFAULTS = {
  names: ['/auth_?token/i', '/authtoken/i', '/secret/i', '/^password$/i'],
  allowPlaceholders: true,
};

/** Functions whose first argument is the auth token. */
const TOKEN_FIRST = new Set([
  'validateRequest',
  'validateRequestWithBody',
  'validateBody',
  'getExpectedTwilioSignature',
  'validateIncomingRequest',
]);
/** Functions and constructors whose second argument is the auth token or API secret: `twilio(sid, token)`. */
const CLIENT_CONSTRUCTORS = new Set(['twilio', 'Twilio']);

const HEX_32 = /^[0-9a-fA-F]{32}$/;
const SECRET_32 = /^[0-9A-Za-z]{32}$/;

module.exports = {
  meta: {
    type: 'problem',
    docs: docs('no-hardcoded-auth-token', 'Disallow auth tokens and API key secrets written into source', true),
    schema: [
      {
        type: 'object',
        properties: {
          names: { type: 'array', items: { type: 'string' } },
          allowPlaceholders: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [DEFAULTS],
    messages: {
      hardcodedToken:
        'Hardcoded Twilio {{what}} in `{{name}}`: anyone who reads the source can act as your account. Read it from the environment (`context.AUTH_TOKEN` / `process.env.AUTH_TOKEN`), rotate the one written here, and prefer `context.getTwilioClient()` inside Functions.',
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const namePatterns = options.names.map((entry) => {
      const match = /^\/(.*)\/([a-z]*)$/.exec(entry);
      return match ? new RegExp(match[1], match[2]) : new RegExp(`^${entry}$`);
    });
    const isCredentialName = (name) => Boolean(name) && namePatterns.some((regex) => regex.test(name));

    /** The token-looking value a node holds, if any. */
    const credentialValue = (node, { secret }) => {
      const value = staticString(node);
      if (value === undefined) return undefined;
      const shape = secret ? SECRET_32 : HEX_32;
      if (!shape.test(value) && !HEX_32.test(value)) return undefined;
      if (options.allowPlaceholders && isPlaceholder(value)) return undefined;
      return value;
    };

    const reportNamed = (valueNode, name) => {
      if (!isCredentialName(name)) return;
      const secret = /secret|password/i.test(name);
      if (credentialValue(valueNode, { secret }) === undefined) return;
      context.report({ node: valueNode, messageId: 'hardcodedToken', data: { what: secret ? 'secret' : 'auth token', name } });
    };

    return {
      VariableDeclarator(node) {
        if (node.id.type === 'Identifier') reportNamed(node.init, node.id.name);
      },
      Property(node) {
        if (node.parent.type === 'ObjectExpression') reportNamed(node.value, keyName(node));
      },
      PropertyDefinition(node) {
        reportNamed(node.value, keyName(node));
      },
      AssignmentExpression(node) {
        const left = unwrap(node.left);
        const name = left.type === 'Identifier' ? left.name : propertyName(left);
        reportNamed(node.right, name);
      },
      'CallExpression, NewExpression'(node) {
        const name = isRequireOf(node.callee, 'twilio') ? 'twilio' : calleeName(node.callee);
        if (TOKEN_FIRST.has(name) && credentialValue(node.arguments[0], { secret: false }) !== undefined) {
          context.report({ node: node.arguments[0], messageId: 'hardcodedToken', data: { what: 'auth token', name: `${name}(…)` } });
        }
        if (CLIENT_CONSTRUCTORS.has(name) && credentialValue(node.arguments[1], { secret: true }) !== undefined) {
          context.report({
            node: node.arguments[1],
            messageId: 'hardcodedToken',
            data: { what: 'auth token or API secret', name: `${name}(…)` },
          });
        }
      },
    };
  },
};
