'use strict';
// Twilio REST calls fail in ordinary ways (21211 invalid number, 21610 opted out, 20429 too many
// requests): a rejection nobody handles leaves the caller with a hang or a stack trace.

const { docs, findHandlers, isFunction, propertyName, restCall, unwrap, visit } = require('../utils');

const DEFAULTS = {
  clientNames: ['client', 'twilioClient'],
  methods: ['create', 'fetch', 'update', 'remove', 'list', 'page'],
};

const listSchema = { type: 'array', items: { type: 'string' } };
const PASS_THROUGH = new Set(['ChainExpression', 'TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression']);

module.exports = {
  meta: {
    type: 'problem',
    docs: docs('handle-twilio-errors', "Require every Twilio REST call's rejection to be handled", true),
    schema: [{ type: 'object', properties: { clientNames: listSchema, methods: listSchema }, additionalProperties: false }],
    defaultOptions: [DEFAULTS],
    messages: {
      floating:
        '`{{call}}` can reject (invalid number 21211, opted out 21610, too many requests 20429) and nothing handles it: the Function never calls `callback` and is killed at 10 s. Add `.catch(…)` that answers, or `await` it inside `try`/`catch`.',
      awaitedInHandler:
        '`{{call}}` is awaited in the handler outside any `try`/`catch`: when Twilio refuses it, the runtime answers 500 with the error and its stack. Catch it and answer a clear status and message (or TwiML).',
      catchNeverAnswers:
        'The `.catch` on `{{call}}` never calls `{{callback}}`, throws or returns: the Function never answers and Twilio kills it at 10 s. Answer from the catch (`{{callback}}(null, response)` with a clear status, or TwiML).',
      asyncCallback:
        '`{{call}}` is awaited inside an async callback whose promise nobody awaits (`{{method}}`): its rejection is lost. Use `for … of` with `await`, or `await Promise.all(items.map(…))` inside `try`/`catch`.',
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const clientNames = new Set(options.clientNames);
    const methods = new Set(options.methods);
    const sourceCode = context.sourceCode;
    let handlerFunctions;

    const describe = (call) => {
      const text = sourceCode.getText(unwrap(call.callee)).replace(/\s+/g, '');
      return text.length > 50 ? `…${text.slice(-49)}` : text;
    };

    /** The handler (and its callback parameter's name) a node runs inside, if any. */
    const handlerAround = (node) => {
      for (let current = node.parent; current; current = current.parent) {
        if (handlerFunctions.has(current)) {
          const param = current.params[2];
          return param && param.type === 'Identifier' ? param.name : undefined;
        }
      }
      return undefined;
    };

    /** Whether a catch callback answers: calls the Functions callback, re-throws, or returns a value. */
    const catchAnswers = (fn, callbackName) => {
      if (fn.body.type !== 'BlockStatement') {
        const body = unwrap(fn.body);
        return !(body.type === 'CallExpression' && /^console\./.test(sourceCode.getText(body.callee)));
      }
      let answers = false;
      visit(fn.body, (child) => {
        if (answers) return false;
        if (child !== fn.body && isFunction(child)) return false;
        if (child.type === 'ThrowStatement' || (child.type === 'ReturnStatement' && child.argument)) answers = true;
        if (child.type === 'Identifier' && child.name === callbackName) answers = true;
        return undefined;
      });
      return answers;
    };

    /** Whether a node sits in the `try` block of a try/catch, within its own function. */
    const insideTryCatch = (node) => {
      for (let child = node, parent = node.parent; parent && !isFunction(parent); child = parent, parent = parent.parent) {
        if (parent.type === 'TryStatement' && parent.block === child && parent.handler) return true;
      }
      return false;
    };

    return {
      CallExpression(node) {
        const rest = restCall(sourceCode, node, methods, clientNames);
        if (!rest) return;
        const last = node.arguments[node.arguments.length - 1];
        if (last && isFunction(last)) return; // callback style: the error arrives in the callback
        if (!handlerFunctions)
          handlerFunctions = new Set(
            findHandlers(sourceCode)
              .map(({ fn }) => fn)
              .filter(Boolean),
          );

        // Climb the promise chain: .then(…) / .finally(…) continue it, .catch(…) or .then(ok, fail) handle it.
        let top = node;
        for (;;) {
          const parent = top.parent;
          if (PASS_THROUGH.has(parent.type)) {
            top = parent;
            continue;
          }
          if (
            parent.type === 'MemberExpression' &&
            parent.object === top &&
            parent.parent.type === 'CallExpression' &&
            parent.parent.callee === parent
          ) {
            const method = propertyName(parent);
            const onFailure = method === 'catch' ? parent.parent.arguments[0] : method === 'then' ? parent.parent.arguments[1] : undefined;
            if (onFailure) {
              const callbackName = isFunction(onFailure) ? handlerAround(node) : undefined;
              if (callbackName && !catchAnswers(onFailure, callbackName)) {
                context.report({ node: onFailure, messageId: 'catchNeverAnswers', data: { call: describe(node), callback: callbackName } });
              }
              return;
            }
            if (method === 'then' || method === 'finally') {
              top = parent.parent;
              continue;
            }
            return; // some other use of the promise: not ours to judge
          }
          break;
        }

        const parent = top.parent;
        const call = describe(node);
        if (parent.type === 'ExpressionStatement' || (parent.type === 'UnaryExpression' && parent.operator === 'void')) {
          context.report({ node, messageId: 'floating', data: { call } });
          return;
        }
        if (parent.type !== 'AwaitExpression' || insideTryCatch(parent)) return;
        let fn;
        for (let current = parent.parent; current; current = current.parent) {
          if (isFunction(current)) {
            fn = current;
            break;
          }
        }
        if (!fn) return;
        if (handlerFunctions.has(fn)) {
          context.report({ node, messageId: 'awaitedInHandler', data: { call } });
          return;
        }
        const caller = fn.parent;
        if (fn.async && caller.type === 'CallExpression' && caller.arguments.includes(fn)) {
          const method = propertyName(unwrap(caller.callee));
          if (method === 'forEach') context.report({ node, messageId: 'asyncCallback', data: { call, method: 'forEach' } });
        }
      },
    };
  },
};
