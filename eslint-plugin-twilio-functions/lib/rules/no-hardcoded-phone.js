'use strict';
// Phone numbers are configuration: a number written into code is one nobody can change without a deploy.

const { E164, FICTIONAL_NUMBERS, docs, mask, relativeFilename } = require('../utils');

const DEFAULTS = {
  configFiles: ['(^|/)(config|configuration|settings)(/|\\.[cm]?[jt]sx?$)', '\\.config\\.[cm]?[jt]s$', '(^|/)\\.env'],
  allow: [],
  allowFictional: true,
};

/** An E.164-looking run inside a string: `+` then 8 to 15 digits, not part of a longer number. */
const EMBEDDED = /(?<![\w+])\+[1-9]\d{7,14}(?!\d)/g;

module.exports = {
  meta: {
    type: 'suggestion',
    docs: docs('no-hardcoded-phone', 'Disallow E.164 phone numbers written into code outside configuration', true),
    schema: [
      {
        type: 'object',
        properties: {
          configFiles: { type: 'array', items: { type: 'string' } },
          allow: { type: 'array', items: { type: 'string' } },
          allowFictional: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [DEFAULTS],
    messages: {
      hardcodedPhone:
        "Phone number {{number}} written into code: keep numbers in configuration (an environment variable read as `context.MY_PHONE_NUMBER`, or a config file) so they can change without a deploy and never leak a person's number.",
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const filename = relativeFilename(context);
    if (options.configFiles.some((source) => new RegExp(source).test(filename))) return {};
    const allowed = options.allow.map((source) => new RegExp(source));
    const isAllowed = (number) =>
      (options.allowFictional && FICTIONAL_NUMBERS.some((regex) => regex.test(number))) || allowed.some((regex) => regex.test(number));

    const check = (node, text) => {
      if (typeof text !== 'string' || !text.includes('+')) return;
      for (const [number] of text.matchAll(EMBEDDED)) {
        if (!E164.test(number) || isAllowed(number)) continue;
        context.report({ node, messageId: 'hardcodedPhone', data: { number: mask(number) } });
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
