'use strict';
// Twilio errors carry a stable numeric `code` (21211, 21610, 20429, 60203, 63016 …): handling that
// never looks at it treats a typo, an opt-out and a rate limit alike.

const { calleeName, docs, findHandlers, isFunction, keyName, propertyName, resolveVariable, restCall, unwrap, visit } = require('../utils');

const DEFAULTS = {
  clientNames: ['client', 'twilioClient'],
  methods: ['create', 'fetch', 'update', 'remove', 'list', 'page'],
};

const listSchema = { type: 'array', items: { type: 'string' } };
const LOGGING = new Set(['log', 'error', 'warn', 'info', 'debug', 'trace']);

module.exports = {
  meta: {
    type: 'suggestion',
    docs: docs('specific-error-codes', 'Suggest handling Twilio errors by their `code`', false),
    schema: [{ type: 'object', properties: { clientNames: listSchema, methods: listSchema }, additionalProperties: false }],
    defaultOptions: [DEFAULTS],
    messages: {
      ignoresCode:
        "This handles the failure of a Twilio REST call without looking at the error's `code`: tell apart what the caller can fix (21211 invalid number, 21610 opted out, 60200 invalid parameter) from what is worth retrying (20429, 20503) and answer each accordingly, or pass the error to your own mapping function.",
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const clientNames = new Set(options.clientNames);
    const methods = new Set(options.methods);
    const sourceCode = context.sourceCode;
    let callbackNames;

    const containsRestCall = (root) => {
      let found = false;
      visit(root, (node) => {
        if (found) return false;
        if (node.type === 'CallExpression' && restCall(sourceCode, node, methods, clientNames)) found = true;
        return undefined;
      });
      return found;
    };

    /** Whether the error parameter is read for `code`, re-thrown, or handed to a function that maps it. */
    const looksAtCode = (param) => {
      if (!param) return false;
      if (param.type === 'ObjectPattern') return param.properties.some((property) => keyName(property) === 'code');
      if (param.type !== 'Identifier') return true;
      const variable = resolveVariable(sourceCode, param);
      if (!variable) return true;
      return variable.references.some(({ identifier }) => {
        const parent = identifier.parent;
        if (parent.type === 'MemberExpression' && parent.object === identifier) return propertyName(parent) === 'code';
        if (parent.type === 'ThrowStatement') return true;
        if (parent.type === 'VariableDeclarator' && parent.id.type === 'ObjectPattern')
          return parent.id.properties.some((p) => keyName(p) === 'code');
        if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.arguments.includes(identifier)) {
          const name = calleeName(parent.callee);
          const text = sourceCode.getText(parent.callee);
          return !(text.startsWith('console.') || LOGGING.has(name) || callbackNames.has(name));
        }
        return false;
      });
    };

    const setUp = () => {
      callbackNames = new Set(['callback', 'cb', 'done', 'next', 'reject', 'resolve']);
      for (const { fn } of findHandlers(sourceCode)) {
        const param = fn && fn.params[2];
        if (param && param.type === 'Identifier') callbackNames.add(param.name);
      }
    };

    return {
      TryStatement(node) {
        if (!node.handler || !containsRestCall(node.block)) return;
        if (!callbackNames) setUp();
        if (!looksAtCode(node.handler.param)) context.report({ node: node.handler, messageId: 'ignoresCode' });
      },
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (callee.type !== 'MemberExpression') return;
        const method = propertyName(callee);
        const handler = method === 'catch' ? node.arguments[0] : method === 'then' ? node.arguments[1] : undefined;
        if (!handler || !isFunction(handler) || !containsRestCall(callee.object)) return;
        if (!callbackNames) setUp();
        if (!looksAtCode(handler.params[0])) context.report({ node: handler, messageId: 'ignoresCode' });
      },
    };
  },
};
