'use strict';
// Shared helpers for the rules: where a file sits in a Functions project, what its handler is,
// what counts as the Twilio REST client, and the Twilio facts the rules share.

const path = require('node:path');

const { homepage } = require('../package.json');

/** The `meta.docs` of a rule; its page is `docs/rules/<name>.md` (under `homepage` once the package has one). */
function docs(name, description, recommended) {
  const url = homepage
    ? `${homepage.replace(/\/+$/, '')}/docs/rules/${name}.md`
    : require('node:url').pathToFileURL(path.join(__dirname, '..', 'docs', 'rules', `${name}.md`)).href;
  return { description, recommended, url };
}

/** The file being linted, relative to the working directory when inside it, with forward slashes. */
function relativeFilename(context) {
  const file = context.physicalFilename || context.filename || '';
  const cwd = context.cwd || process.cwd();
  const relative = path.isAbsolute(file) ? path.relative(cwd, file) : file;
  const inside = relative && !relative.startsWith('..') && !path.isAbsolute(relative);
  return (inside ? relative : file).split(path.sep).join('/');
}

/** `*.protected.js` / `*.protected.ts`: Twilio checks X-Twilio-Signature before the Function runs. */
const isProtectedFile = (filename) => /\.protected\.[cm]?[jt]sx?$/.test(filename);

/** The name a callee is known by: `f` for `f()`, `g` for `a.b.g()`, `X` for `new X()`. */
function calleeName(callee) {
  if (!callee) return undefined;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') return propertyName(callee);
  if (callee.type === 'ChainExpression') return calleeName(callee.expression);
  return undefined;
}

/** The static name of a member's property (`a.b`, `a['b']`), if it has one. */
function propertyName(member) {
  if (!member || member.type !== 'MemberExpression') return undefined;
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  if (member.property.type === 'TemplateLiteral' && member.property.expressions.length === 0) return member.property.quasis[0].value.cooked;
  return undefined;
}

/** The static key of an object property. */
function keyName(property) {
  if (!property || (property.type !== 'Property' && property.type !== 'PropertyDefinition')) return undefined;
  if (!property.computed && property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal') return String(property.key.value);
  return undefined;
}

/** A string a node holds statically: a string literal or a template literal with no expressions. */
function staticString(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression' || node.type === 'TSNonNullExpression')
    return staticString(node.expression);
  return undefined;
}

/** Strips TypeScript-only wrappers (`x as T`, `x!`, `x satisfies T`) and parentheses-free chains. */
function unwrap(node) {
  let current = node;
  while (
    current &&
    ['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ChainExpression'].includes(current.type)
  ) {
    current = current.expression;
  }
  return current;
}

const isFunction = (node) => Boolean(node) && ['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration'].includes(node.type);

/** Every function that contains a node, innermost first. */
function enclosingFunctions(node) {
  const found = [];
  for (let current = node.parent; current; current = current.parent) if (isFunction(current)) found.push(current);
  return found;
}

/** The variable an identifier refers to, if it can be resolved. */
function resolveVariable(sourceCode, identifier) {
  let scope = sourceCode.getScope(identifier);
  while (scope) {
    const variable = scope.set.get(identifier.name);
    if (variable) return variable;
    scope = scope.upper;
  }
  return undefined;
}

/**
 * What an identifier was initialised with, when it is written once (a `const`, or a `let` never
 * reassigned): `{ init, key }`, where `key` is the property name when it was destructured.
 */
function initialValue(sourceCode, identifier) {
  const variable = resolveVariable(sourceCode, identifier);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0];
  if (def.type !== 'Variable' || !def.node.init) return undefined;
  const writes = variable.references.filter((reference) => reference.isWrite());
  if (writes.length > 1) return undefined;
  if (def.node.id.type === 'Identifier') return { init: def.node.init, key: undefined };
  if (def.node.id.type === 'ObjectPattern') {
    const property = def.node.id.properties.find(
      (p) =>
        p.type === 'Property' && p.value && (p.value === def.name || (p.value.type === 'AssignmentPattern' && p.value.left === def.name)),
    );
    return property ? { init: def.node.init, key: keyName(property) } : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The Functions handler

/**
 * The handlers a file exports: `exports.handler = …`, `module.exports.handler = …`,
 * `module.exports = { handler }`, `export const handler = …`, `export function handler`.
 * Each is `{ node, fn, wrapper }`: `fn` is the `(context, event, callback)` function when the
 * handler is written out, `wrapper` the call when it is built by one (`twilioWebhook(route)`).
 */
function findHandlers(sourceCode) {
  const program = sourceCode.ast;
  const found = [];
  const add = (valueNode, anchor) => {
    let value = unwrap(valueNode);
    if (value && value.type === 'Identifier') {
      const initial = initialValue(sourceCode, value);
      if (initial && !initial.key) value = unwrap(initial.init);
      else {
        const variable = resolveVariable(sourceCode, value);
        const def = variable && variable.defs[0];
        if (def && def.type === 'FunctionName') value = def.node;
      }
    }
    if (!value) return;
    if (isFunction(value)) found.push({ node: anchor, fn: value, wrapper: undefined });
    else if (value.type === 'CallExpression') found.push({ node: anchor, fn: undefined, wrapper: value });
  };
  const visitExports = (statement) => {
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      const { left, right } = statement.expression;
      if (left.type !== 'MemberExpression') return;
      const target = sourceCode.getText(left.object);
      const name = propertyName(left);
      if (name === 'handler' && (target === 'exports' || target === 'module.exports')) add(right, statement);
      if (target === 'module' && name === 'exports' && right.type === 'ObjectExpression') {
        for (const property of right.properties) if (keyName(property) === 'handler') add(property.value, property);
      }
    }
    if (statement.type === 'ExportNamedDeclaration' && statement.declaration) {
      const declaration = statement.declaration;
      if (declaration.type === 'FunctionDeclaration' && declaration.id && declaration.id.name === 'handler')
        found.push({ node: declaration, fn: declaration, wrapper: undefined });
      if (declaration.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === 'Identifier' && declarator.id.name === 'handler' && declarator.init) add(declarator.init, declarator);
        }
      }
    }
    if (statement.type === 'ExportNamedDeclaration' && !statement.declaration) {
      for (const specifier of statement.specifiers) {
        if (specifier.exported && (specifier.exported.name === 'handler' || specifier.exported.value === 'handler'))
          add(specifier.local, specifier);
      }
    }
  };
  for (const statement of program.body) visitExports(statement);
  return found;
}

/** The name of the event parameter (the second) of a written-out handler, or its destructured keys. */
function eventParameter(fn) {
  const param = fn && fn.params[1];
  if (!param) return { name: undefined, keys: [] };
  const target = param.type === 'AssignmentPattern' ? param.left : param;
  if (target.type === 'Identifier') return { name: target.name, keys: [] };
  if (target.type === 'ObjectPattern') return { name: undefined, keys: target.properties.map(keyName).filter(Boolean), pattern: target };
  return { name: undefined, keys: [] };
}

/** The names the handler's context is known by: its first parameter and `context`. */
function contextNames(handlers) {
  const names = new Set(['context']);
  for (const { fn } of handlers) {
    const param = fn && fn.params[0];
    if (param && param.type === 'Identifier') names.add(param.name);
  }
  return names;
}

/** Every reference of the event params in a file: `event.Body`, `event['From']`, `const { Body } = event`. */
function eventReads(sourceCode, eventNames, params) {
  const reads = [];
  const wanted = new Set(params);
  const walk = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'MemberExpression' && node.object.type === 'Identifier' && eventNames.has(node.object.name)) {
      const name = propertyName(node);
      if (name && wanted.has(name)) reads.push({ node, name });
    }
    if (
      node.type === 'VariableDeclarator' &&
      node.id.type === 'ObjectPattern' &&
      node.init &&
      node.init.type === 'Identifier' &&
      eventNames.has(node.init.name)
    ) {
      for (const property of node.id.properties) {
        const name = keyName(property);
        if (name && wanted.has(name)) reads.push({ node: property, name });
      }
    }
    for (const key of Object.keys(node)) {
      if (key === 'parent') continue;
      const child = node[key];
      if (Array.isArray(child)) child.forEach(walk);
      else if (child && typeof child.type === 'string') walk(child);
    }
  };
  walk(sourceCode.ast);
  return reads;
}

// ---------------------------------------------------------------------------------------------
// The Twilio REST client

/** Calls that hand out a Twilio REST client. */
const CLIENT_FACTORIES = new Set(['getTwilioClient', 'twilio', 'Twilio', 'twilioClient', 'createTwilioClient']);

const isRequireOf = (node, name) =>
  Boolean(node) &&
  node.type === 'CallExpression' &&
  node.callee.type === 'Identifier' &&
  node.callee.name === 'require' &&
  staticString(node.arguments[0]) === name;

/**
 * Whether an expression is a Twilio REST client: `context.getTwilioClient()`, `twilio(sid, token)`,
 * `require('twilio')(…)`, `new Twilio(…)`, a variable holding one, or a name in `clientNames`.
 */
function isTwilioClient(sourceCode, node, clientNames, depth = 0) {
  const expression = unwrap(node);
  if (!expression || depth > 4) return false;
  if (expression.type === 'AwaitExpression') return isTwilioClient(sourceCode, expression.argument, clientNames, depth + 1);
  if (expression.type === 'CallExpression' || expression.type === 'NewExpression') {
    if (isRequireOf(expression.callee, 'twilio')) return true;
    const name = calleeName(expression.callee);
    return Boolean(name) && (CLIENT_FACTORIES.has(name) || clientNames.has(name));
  }
  if (expression.type === 'Identifier') {
    if (clientNames.has(expression.name)) return true;
    const initial = initialValue(sourceCode, expression);
    return Boolean(initial) && !initial.key && isTwilioClient(sourceCode, initial.init, clientNames, depth + 1);
  }
  if (expression.type === 'MemberExpression') {
    const name = propertyName(expression);
    return Boolean(name) && clientNames.has(name) && expression.object.type === 'ThisExpression';
  }
  return false;
}

/**
 * For `client.messages.create(…)`, `client.messages(sid).update(…)`, `client.api.v2010…create(…)`:
 * the client expression and the resource path (`['messages']`), or undefined when the chain does
 * not start at a Twilio client.
 */
function restCall(sourceCode, call, methods, clientNames) {
  if (call.type !== 'CallExpression') return undefined;
  const callee = unwrap(call.callee);
  if (!callee || callee.type !== 'MemberExpression') return undefined;
  const method = propertyName(callee);
  if (!method || !methods.has(method)) return undefined;
  const resources = [];
  let current = unwrap(callee.object);
  for (let steps = 0; current && steps < 12; steps += 1) {
    if (current.type === 'MemberExpression') {
      if (isTwilioClient(sourceCode, current, clientNames)) break;
      const name = propertyName(current);
      if (name) resources.unshift(name);
      current = unwrap(current.object);
    } else if (
      current.type === 'CallExpression' &&
      unwrap(current.callee).type === 'MemberExpression' &&
      !isTwilioClient(sourceCode, current, clientNames)
    ) {
      current = unwrap(current.callee);
    } else break;
  }
  if (!current || resources.length === 0 || !isTwilioClient(sourceCode, current, clientNames)) return undefined;
  return { method, resources, client: current };
}

/** A message or call send: `….messages.create({ to, … })` or `….calls.create({ to, … })` on a Twilio client. */
function sendCall(sourceCode, call, clientNames) {
  const rest = restCall(sourceCode, call, new Set(['create']), clientNames);
  if (!rest) return undefined;
  const resource = rest.resources[rest.resources.length - 1];
  if (resource !== 'messages' && resource !== 'calls') return undefined;
  return { ...rest, resource, to: toArgument(sourceCode, call.arguments[0]) };
}

/** The `to` of a send's parameters: written inline, or in a `const params = { to }` just before. */
function toArgument(sourceCode, argument, depth = 0) {
  const node = unwrap(argument);
  if (!node || depth > 2) return undefined;
  if (node.type === 'ObjectExpression') {
    const property = node.properties.find((p) => p.type === 'Property' && keyName(p) === 'to');
    if (property) return { value: property.value };
    const spreads = node.properties.filter((p) => p.type === 'SpreadElement');
    for (const spread of spreads) {
      const inner = toArgument(sourceCode, spread.argument, depth + 1);
      if (inner) return inner;
    }
    return spreads.length ? { unknown: true } : undefined;
  }
  if (node.type === 'Identifier') {
    const initial = initialValue(sourceCode, node);
    if (initial && !initial.key) return toArgument(sourceCode, initial.init, depth + 1);
    return { unknown: true };
  }
  return { unknown: true };
}

/** Whether a name matches any of a list of plain names or /regex/ strings. */
function nameMatcher(list) {
  const names = new Set();
  const patterns = [];
  for (const entry of list || []) {
    const match = /^\/(.*)\/([a-z]*)$/.exec(entry);
    if (match) patterns.push(new RegExp(match[1], match[2]));
    else names.add(entry);
  }
  return (name) => Boolean(name) && (names.has(name) || patterns.some((pattern) => pattern.test(name)));
}

/** `context.X` (the Functions context), `process.env.X`: configuration, not input. */
function isConfiguration(node, contextNameSet) {
  const expression = unwrap(node);
  if (!expression || expression.type !== 'MemberExpression') return false;
  const object = unwrap(expression.object);
  if (object.type === 'Identifier' && contextNameSet.has(object.name)) return true;
  if (
    object.type === 'MemberExpression' &&
    propertyName(object) === 'env' &&
    object.object.type === 'Identifier' &&
    object.object.name === 'process'
  )
    return true;
  return false;
}

/** Visits every node below `root` (not into nested functions when `shallow`). */
function visit(root, callback, { shallow = false } = {}) {
  const walk = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (callback(node) === false) return;
    if (shallow && node !== root && isFunction(node)) return;
    for (const key of Object.keys(node)) {
      if (key === 'parent') continue;
      const child = node[key];
      if (Array.isArray(child)) child.forEach(walk);
      else if (child && typeof child.type === 'string') walk(child);
    }
  };
  walk(root);
}

// ---------------------------------------------------------------------------------------------
// Twilio facts

/** Parameters Twilio sends to messaging and voice webhooks. */
const WEBHOOK_PARAMS = [
  'AccountSid',
  'ApiVersion',
  'Body',
  'CallSid',
  'CallStatus',
  'Called',
  'Caller',
  'Digits',
  'Direction',
  'ErrorCode',
  'ForwardedFrom',
  'From',
  'MediaContentType0',
  'MediaUrl0',
  'MessageSid',
  'MessageStatus',
  'MessagingServiceSid',
  'NumMedia',
  'NumSegments',
  'OptOutType',
  'ProfileName',
  'RecordingDuration',
  'RecordingSid',
  'RecordingUrl',
  'SmsMessageSid',
  'SmsSid',
  'SmsStatus',
  'SpeechResult',
  'To',
  'TranscriptionSid',
  'TranscriptionText',
  'WaId',
];

/** E.164: `+`, country code, up to 15 digits in all. */
const E164 = /^\+[1-9]\d{7,14}$/;

/** Numbers reserved for fiction and tests: NANP 555-0100…0199, Twilio's magic +1 500 555 xxxx, Ofcom's drama range. */
const FICTIONAL_NUMBERS = [/^\+1[2-9]\d{2}55501\d{2}$/, /^\+1500555\d{4}$/, /^\+447700900\d{3}$/];

/** A value made of one repeated character (`AC000…0`, `fff…f`): a placeholder, not a secret. */
const isPlaceholder = (hex) => /^(.)\1*$/.test(hex);

/** Shows the start and end of a value only. */
const mask = (value) => (value.length > 10 ? `${value.slice(0, 6)}…${value.slice(-2)}` : value);

module.exports = {
  E164,
  FICTIONAL_NUMBERS,
  WEBHOOK_PARAMS,
  calleeName,
  contextNames,
  docs,
  enclosingFunctions,
  eventParameter,
  eventReads,
  findHandlers,
  initialValue,
  isConfiguration,
  isFunction,
  isPlaceholder,
  isProtectedFile,
  isRequireOf,
  keyName,
  mask,
  nameMatcher,
  propertyName,
  relativeFilename,
  resolveVariable,
  restCall,
  sendCall,
  staticString,
  unwrap,
  visit,
};
