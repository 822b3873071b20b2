'use strict';
// An inbound SMS webhook that acts on what people text is where STOP arrives: record it before
// anything else.

const {
  calleeName,
  docs,
  eventParameter,
  eventReads,
  findHandlers,
  nameMatcher,
  propertyName,
  resolveVariable,
  visit,
} = require('../utils');

const DEFAULTS = {
  keywordChecks: ['/keyword/i', '/opt_?out/i', '/^is_?stop/i', '/unsubscrib/i'],
  inboundReaders: [],
};

/** Literals that only an opt-out check would spell (END, CANCEL, QUIT are too common to count). */
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'OPTOUT', 'REVOKE']);
const STOP_PATTERN = /stop|unsubscribe|optout/i;

/** String methods that only reshape the text; the value that comes out is still "the message". */
const RESHAPING = new Set([
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'normalize',
  'toString',
  'valueOf',
  'slice',
  'substr',
  'substring',
  'at',
  'replace',
  'replaceAll',
]);
/** Methods that read meaning into the text: keyword matching, command parsing. */
const INTERPRETING = new Set([
  'includes',
  'startsWith',
  'endsWith',
  'match',
  'matchAll',
  'indexOf',
  'lastIndexOf',
  'search',
  'split',
  'localeCompare',
]);
/** Methods that look the text up in something: `KEYWORDS.includes(body)`, `/^y$/i.test(body)`, `commands.has(cmd)`. */
const LOOKUPS = new Set(['includes', 'test', 'has', 'get', 'indexOf', 'find', 'some']);
const COMPARISONS = new Set(['===', '==', '!==', '!=']);

const listSchema = { type: 'array', items: { type: 'string' } };

module.exports = {
  meta: {
    type: 'suggestion',
    docs: docs(
      'stop-keywords',
      'Require inbound message webhooks that act on the message text to check opt-out keywords (STOP, UNSUBSCRIBE, …)',
      true,
    ),
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

    /**
     * Whether a value holding the message text is acted on: compared, switched on, matched, split
     * into a command, or looked up; followed through reshaping calls and the variables it is kept in.
     */
    const interpreted = (start, seen, depth = 0) => {
      if (depth > 8) return false;
      let node = start;
      for (;;) {
        const parent = node.parent;
        if (!parent) return false;
        if (
          ['ChainExpression', 'TSAsExpression', 'TSNonNullExpression', 'LogicalExpression', 'ConditionalExpression'].includes(
            parent.type,
          ) &&
          parent.test !== node
        ) {
          node = parent;
          continue;
        }
        if (parent.type === 'MemberExpression' && parent.object === node) {
          if (parent.computed && parent.property.type === 'Literal' && typeof parent.property.value === 'number') {
            node = parent; // content[0]
            continue;
          }
          const method = propertyName(parent);
          const call = parent.parent;
          if (!(call.type === 'CallExpression' && call.callee === parent)) return false;
          if (INTERPRETING.has(method)) return true;
          if (RESHAPING.has(method)) {
            node = call;
            continue;
          }
          return false;
        }
        if (parent.type === 'MemberExpression' && parent.property === node && parent.computed) return true; // COMMANDS[cmd]
        if (parent.type === 'BinaryExpression' && COMPARISONS.has(parent.operator)) return true;
        if (parent.type === 'SwitchStatement' && parent.discriminant === node) return true;
        if (parent.type === 'CallExpression' && parent.arguments.includes(node)) {
          return LOOKUPS.has(calleeName(parent.callee)) && parent.callee.type === 'MemberExpression';
        }
        if (parent.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier')
          return followed(parent.id, seen, depth);
        if (parent.type === 'AssignmentExpression' && parent.right === node && parent.left.type === 'Identifier')
          return followed(parent.left, seen, depth);
        return false;
      }
    };

    /** Whether any read of the variable an identifier declares is interpreted. */
    const followed = (identifier, seen, depth) => {
      const variable = resolveVariable(sourceCode, identifier);
      if (!variable || seen.has(variable)) return false;
      seen.add(variable);
      return variable.references.some((reference) => reference.isRead() && interpreted(reference.identifier, seen, depth + 1));
    };

    return {
      'Program:exit'() {
        const handlers = findHandlers(sourceCode);
        if (handlers.length === 0) return;
        const eventNames = new Set(['event']);
        const seen = new Set();
        let how;
        for (const { fn } of handlers) {
          const event = eventParameter(fn);
          if (event.name) eventNames.add(event.name);
          const body =
            event.pattern && event.pattern.properties.find((property) => property.type === 'Property' && property.key.name === 'Body');
          if (body && body.value.type === 'Identifier' && followed(body.value, seen, 0)) how = 'acts on `Body`';
        }
        if (
          !how &&
          eventReads(sourceCode, eventNames, ['Body']).some(({ node }) =>
            node.type === 'Property' ? node.value.type === 'Identifier' && followed(node.value, seen, 0) : interpreted(node, seen),
          )
        ) {
          how = 'acts on `Body`';
        }
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
