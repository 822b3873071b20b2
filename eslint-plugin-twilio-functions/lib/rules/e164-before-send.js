'use strict';
// Twilio refuses (21211) or mis-routes a `to` that is not E.164; worse, an unchecked `to` lets a
// caller choose premium destinations. Normalise or validate it before the send.

const {
  E164,
  calleeName,
  contextNames,
  docs,
  enclosingFunctions,
  eventParameter,
  findHandlers,
  initialValue,
  isConfiguration,
  nameMatcher,
  propertyName,
  restCall,
  sendCall,
  staticString,
  unwrap,
  visit,
} = require('../utils');

const DEFAULTS = {
  normalizers: [
    '/e164/i',
    '/normali[sz]e.*(phone|number)/i',
    '/^(parse|format)Phone/i',
    'parsePhoneNumber',
    'parsePhoneNumberFromString',
    'parsePhoneNumberWithError',
  ],
  validators: ['isValidPhoneNumber', 'isPossiblePhoneNumber', '/^(is|validate|assert|check|require).*(e164|phone|number)/i'],
  clientNames: ['client', 'twilioClient'],
  resources: ['messages', 'calls'],
  trustWebhookAddresses: true,
  trustConfiguration: true,
};

/** Webhook parameters Twilio itself fills with E.164 addresses. */
const ADDRESS_PARAMS = new Set(['From', 'To', 'Caller', 'Called', 'ForwardedFrom']);

const listSchema = { type: 'array', items: { type: 'string' } };

module.exports = {
  meta: {
    type: 'problem',
    docs: docs('e164-before-send', 'Require the `to` of messages.create / calls.create to be normalised to E.164 or validated first', true),
    schema: [
      {
        type: 'object',
        properties: {
          normalizers: listSchema,
          validators: listSchema,
          clientNames: listSchema,
          resources: listSchema,
          trustWebhookAddresses: { type: 'boolean' },
          trustConfiguration: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [DEFAULTS],
    messages: {
      notE164:
        '`to: {{to}}` of {{resource}}.create is not known to be E.164: normalise it first (libphonenumber-js `parsePhoneNumber(value, country).number`, or your own helper listed in `normalizers`) or check it (`isValidPhoneNumber`, or a helper listed in `validators`), and answer a clear 400 when it is not a number.',
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const isNormalizer = nameMatcher(options.normalizers);
    const isValidator = nameMatcher(options.validators);
    const clientNames = new Set(options.clientNames);
    const resources = new Set(options.resources);
    const sourceCode = context.sourceCode;
    let handlers;
    let eventNames;
    let contexts;

    const setUp = () => {
      handlers = findHandlers(sourceCode);
      eventNames = new Set(['event']);
      for (const { fn } of handlers) {
        const event = eventParameter(fn);
        if (event.name) eventNames.add(event.name);
      }
      contexts = contextNames(handlers);
    };

    const isLookup = (node) => {
      const rest = restCall(
        sourceCode,
        unwrap(node && node.type === 'AwaitExpression' ? node.argument : node),
        new Set(['fetch']),
        clientNames,
      );
      return Boolean(rest) && rest.resources.includes('phoneNumbers');
    };

    const trustedObject = (object, key) => {
      const init = unwrap(object);
      if (!init) return false;
      if (init.type === 'CallExpression' && isNormalizer(calleeName(init.callee))) return true;
      if (init.type === 'AwaitExpression' && init.argument.type === 'CallExpression' && isNormalizer(calleeName(init.argument.callee)))
        return true;
      if (isLookup(init)) return key === 'phoneNumber' || key === undefined;
      if (options.trustWebhookAddresses && init.type === 'Identifier' && eventNames.has(init.name) && ADDRESS_PARAMS.has(key)) return true;
      if (options.trustConfiguration) {
        if (init.type === 'Identifier' && contexts.has(init.name)) return true;
        if (init.type === 'MemberExpression' && propertyName(init) === 'env' && sourceCode.getText(init.object) === 'process') return true;
      }
      return false;
    };

    /** Whether a value is known to be an E.164 address by the time it is sent. */
    const known = (value, depth = 0) => {
      const node = unwrap(value);
      if (!node || depth > 6) return false;
      const text = staticString(node);
      if (text !== undefined) return E164.test(text.replace(/^(whatsapp|tel|sms):/, ''));
      switch (node.type) {
        case 'TemplateLiteral':
          return (
            node.expressions.length === 1 &&
            /^((whatsapp|tel|sms):)?$/.test(node.quasis[0].value.cooked) &&
            node.quasis[1].value.cooked === '' &&
            known(node.expressions[0], depth + 1)
          );
        case 'AwaitExpression':
          return known(node.argument, depth + 1);
        case 'ConditionalExpression':
          return known(node.consequent, depth + 1) && known(node.alternate, depth + 1);
        case 'LogicalExpression':
          return known(node.left, depth + 1) && known(node.right, depth + 1);
        case 'CallExpression': {
          if (isNormalizer(calleeName(node.callee))) return true;
          const callee = unwrap(node.callee);
          return callee.type === 'MemberExpression' && trustedObject(callee.object, undefined) && callee.object.type === 'CallExpression';
        }
        case 'MemberExpression': {
          const key = propertyName(node);
          if (key === 'e164') return true;
          if (options.trustConfiguration && isConfiguration(node, contexts)) return true;
          const object = unwrap(node.object);
          if (object.type === 'CallExpression' || object.type === 'AwaitExpression') return trustedObject(object, key);
          if (object.type === 'Identifier') {
            if (trustedObject(object, key)) return true;
            const initial = initialValue(sourceCode, object);
            return Boolean(initial) && !initial.key && trustedObject(initial.init, key);
          }
          return false;
        }
        case 'Identifier': {
          const initial = initialValue(sourceCode, node);
          if (!initial) return false;
          if (initial.key) return trustedObject(initial.init, initial.key);
          return known(initial.init, depth + 1);
        }
        default:
          return false;
      }
    };

    /** Whether a check of the same value runs before the send, in a function around it. */
    const validatedBefore = (send, value) => {
      const texts = new Set([sourceCode.getText(value)]);
      const node = unwrap(value);
      if (node.type === 'Identifier') {
        const initial = initialValue(sourceCode, node);
        if (initial && !initial.key) texts.add(sourceCode.getText(initial.init));
      }
      const scopes = enclosingFunctions(send);
      const root = scopes.length ? scopes[scopes.length - 1] : sourceCode.ast;
      let found = false;
      visit(root, (candidate) => {
        if (found || candidate.range[0] >= send.range[0]) return false;
        if (candidate.type !== 'CallExpression') return undefined;
        const name = calleeName(candidate.callee);
        const argument = candidate.arguments[0];
        if (!argument || !texts.has(sourceCode.getText(argument))) return undefined;
        const isRegexTest = name === 'test' && unwrap(candidate.callee).object && unwrap(candidate.callee).object.type === 'Literal';
        const isLookupCall = sourceCode.getText(candidate.callee).includes('phoneNumbers');
        if (isValidator(name) || isNormalizer(name) || isRegexTest || isLookupCall) found = true;
        return undefined;
      });
      return found;
    };

    return {
      CallExpression(node) {
        if (!handlers) setUp();
        const send = sendCall(sourceCode, node, clientNames);
        if (!send || !resources.has(send.resource) || !send.to || send.to.unknown) return;
        const value = send.to.value;
        if (known(value) || validatedBefore(node, value)) return;
        const text = sourceCode.getText(value).replace(/\s+/g, ' ');
        context.report({
          node: value,
          messageId: 'notE164',
          data: { to: text.length > 40 ? `${text.slice(0, 39)}…` : text, resource: send.resource },
        });
      },
    };
  },
};
