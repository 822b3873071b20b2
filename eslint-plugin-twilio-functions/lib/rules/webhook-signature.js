'use strict';
// A Function that acts on Twilio webhook parameters must only ever see genuine Twilio requests.

const {
  WEBHOOK_PARAMS,
  calleeName,
  docs,
  eventParameter,
  eventReads,
  findHandlers,
  isProtectedFile,
  nameMatcher,
  relativeFilename,
  visit,
} = require('../utils');

const DEFAULTS = {
  params: WEBHOOK_PARAMS,
  validators: ['validateRequest', 'validateRequestWithBody', 'validateExpressRequest', 'validateIncomingRequest', 'webhook'],
  webhookWrappers: [],
};

module.exports = {
  meta: {
    type: 'problem',
    docs: docs(
      'webhook-signature',
      'Require Functions that read Twilio webhook parameters to be protected or to validate X-Twilio-Signature',
      true,
    ),
    schema: [
      {
        type: 'object',
        properties: {
          params: { type: 'array', items: { type: 'string' } },
          validators: { type: 'array', items: { type: 'string' } },
          webhookWrappers: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [DEFAULTS],
    messages: {
      unprotectedRead:
        'This Function reads the Twilio webhook parameter `{{param}}` but anyone can call it with a forged one: rename the file to `{{suggested}}` (Twilio then checks X-Twilio-Signature before it runs) or validate the signature with `twilio.validateRequest`.',
      unprotectedWrapper:
        'This Function is a Twilio webhook (`{{wrapper}}`) but its file is not `*.protected`, so nothing checks X-Twilio-Signature: rename it to `{{suggested}}`.',
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const filename = relativeFilename(context);
    if (isProtectedFile(filename)) return {};
    const isValidator = nameMatcher(options.validators);
    const isWrapper = nameMatcher(options.webhookWrappers);
    const suggested = filename
      .split('/')
      .pop()
      .replace(/(\.[cm]?[jt]sx?)$/, '.protected$1');

    return {
      'Program:exit'() {
        const sourceCode = context.sourceCode;
        const handlers = findHandlers(sourceCode);
        if (handlers.length === 0) return;

        let validates = false;
        visit(sourceCode.ast, (node) => {
          if (validates) return false;
          if (node.type === 'CallExpression' && isValidator(calleeName(node.callee))) validates = true;
          return undefined;
        });
        if (validates) return;

        const eventNames = new Set(['event']);
        for (const { fn } of handlers) {
          const event = eventParameter(fn);
          if (event.name) eventNames.add(event.name);
          if (event.pattern) {
            const key = event.keys.find((name) => options.params.includes(name));
            if (key) {
              context.report({ node: event.pattern, messageId: 'unprotectedRead', data: { param: key, suggested } });
              return;
            }
          }
        }
        const [first] = eventReads(sourceCode, eventNames, options.params);
        if (first) {
          context.report({ node: first.node, messageId: 'unprotectedRead', data: { param: first.name, suggested } });
          return;
        }
        for (const { wrapper } of handlers) {
          const name = wrapper && calleeName(wrapper.callee);
          if (name && isWrapper(name)) {
            context.report({ node: wrapper.callee, messageId: 'unprotectedWrapper', data: { wrapper: name, suggested } });
            return;
          }
        }
      },
    };
  },
};
