'use strict';
// An inbound SMS webhook is where STOP arrives: record it before anything else.

const { calleeName, docs, eventParameter, eventReads, findHandlers, nameMatcher, visit } = require('../utils');

const DEFAULTS = {
  keywordChecks: ['/keyword/i', '/opt_?out/i', '/^is_?stop/i', '/unsubscrib/i'],
  inboundReaders: [],
};

/** Literals that only an opt-out check would spell (END, CANCEL, QUIT are too common to count). */
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'OPTOUT', 'REVOKE']);
const STOP_PATTERN = /stop|unsubscribe|optout/i;

const listSchema = { type: 'array', items: { type: 'string' } };

module.exports = {
  meta: {
    type: 'suggestion',
    docs: docs('stop-keywords', 'Require inbound message webhooks to check opt-out keywords (STOP, UNSUBSCRIBE, …)', true),
    schema: [{ type: 'object', properties: { keywordChecks: listSchema, inboundReaders: listSchema }, additionalProperties: false }],
    defaultOptions: [DEFAULTS],
    messages: {
      noStopCheck:
        "This inbound message webhook {{how}} but never checks opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT): record the opt-out and send nothing more to that number, before any other handling. Twilio's `OptOutType` parameter says when it already handled one.",
    },
  },
  create(context) {
    const options = { ...DEFAULTS, ...(context.options[0] || {}) };
    const isKeywordCheck = nameMatcher(options.keywordChecks);
    const isInboundReader = nameMatcher(options.inboundReaders);
    const sourceCode = context.sourceCode;

    return {
      'Program:exit'() {
        const handlers = findHandlers(sourceCode);
        if (handlers.length === 0) return;
        const eventNames = new Set(['event']);
        let how;
        for (const { fn } of handlers) {
          const event = eventParameter(fn);
          if (event.name) eventNames.add(event.name);
          if (event.keys.includes('Body')) how = 'reads `Body`';
        }
        if (!how && eventReads(sourceCode, eventNames, ['Body']).length > 0) how = 'reads `Body`';
        let checks = false;
        visit(sourceCode.ast, (node) => {
          if (checks) return false;
          if (node.type === 'CallExpression') {
            const name = calleeName(node.callee);
            if (!how && isInboundReader(name)) how = `reads the message with \`${name}\``;
            if (isKeywordCheck(name)) checks = true;
          }
          if (node.type === 'Literal' && typeof node.value === 'string' && STOP_WORDS.has(node.value.trim().toUpperCase())) checks = true;
          if (node.type === 'TemplateElement' && STOP_WORDS.has(node.value.cooked.trim().toUpperCase())) checks = true;
          if (node.type === 'Literal' && node.regex && STOP_PATTERN.test(node.regex.pattern)) checks = true;
          if (node.type === 'Identifier' && node.name === 'OptOutType') checks = true;
          if (node.type === 'Literal' && node.value === 'OptOutType') checks = true;
          return undefined;
        });
        if (!how || checks) return;
        context.report({ node: handlers[0].node, messageId: 'noStopCheck', data: { how } });
      },
    };
  },
};
