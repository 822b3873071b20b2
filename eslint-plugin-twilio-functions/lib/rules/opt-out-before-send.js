'use strict';
// Someone who replied STOP must not get another message: check your opt-out list before a send.

const {
  contextNames,
  docs,
  enclosingFunctions,
  findHandlers,
  isConfiguration,
  nameMatcher,
  sendCall,
  staticString,
  unwrap,
  visit,
} = require('../utils');

const DEFAULTS = {
  checks: ['/opt(ed)?_?out/i', '/unsubscrib/i', '/consent/i', '/suppress/i', '/(block|deny)_?list/i'],
  clientNames: ['client', 'twilioClient'],
  resources: ['messages'],
  trustConfiguration: true,
};

const listSchema = { type: 'array', items: { type: 'string' } };

module.exports = {
  meta: {
    type: 'problem',
    docs: docs('opt-out-before-send', 'Require an opt-out check before messages.create (and calls.create when configured)', true),
    schema: [
      {
        type: 'object',
        properties: {
          checks: listSchema,
          clientNames: listSchema,
          resources: listSchema,
          trustConfiguration: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [DEFAULTS],
    messages: {
      noOptOutCheck:
        '{{resource}}.create sends to `{{to}}` without an opt-out check first: look the recipient up in your opt-out list (whoever replied STOP) and send nothing when they opted out; list your check in the `checks` option. Twilio refusing with 21610 is the last line, not the check.',
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const isCheck = nameMatcher(options.checks);
    const clientNames = new Set(options.clientNames);
    const resources = new Set(options.resources);
    const sourceCode = context.sourceCode;
    let contexts;

    /** A text that names an opt-out check (`isOptedOut`, `stores.consent.get`, `user.unsubscribed`). */
    const namesCheck = (text) => text.split(/[^A-Za-z0-9_$]+/).some((part) => isCheck(part));

    const checkedBefore = (send) => {
      const scopes = enclosingFunctions(send);
      const root = scopes.length ? scopes[scopes.length - 1] : sourceCode.ast;
      let found = false;
      visit(root, (node) => {
        if (found || node.range[0] >= send.range[0]) return false;
        if (node.type === 'CallExpression' && namesCheck(sourceCode.getText(unwrap(node.callee)))) found = true;
        const test = (node.type === 'IfStatement' || node.type === 'ConditionalExpression') && node.test;
        if (test && namesCheck(sourceCode.getText(test))) found = true;
        return undefined;
      });
      return found;
    };

    return {
      CallExpression(node) {
        const send = sendCall(sourceCode, node, clientNames);
        if (!send || !resources.has(send.resource)) return;
        if (!contexts) contexts = contextNames(findHandlers(sourceCode));
        const to = send.to && !send.to.unknown ? send.to.value : undefined;
        if (to && options.trustConfiguration && (isConfiguration(to, contexts) || staticString(to) !== undefined)) return;
        if (checkedBefore(node)) return;
        const text = to ? sourceCode.getText(to).replace(/\s+/g, ' ') : '…';
        context.report({
          node,
          messageId: 'noOptOutCheck',
          data: { resource: send.resource, to: text.length > 40 ? `${text.slice(0, 39)}…` : text },
        });
      },
    };
  },
};
