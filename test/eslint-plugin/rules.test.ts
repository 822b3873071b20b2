// Each rule of eslint-plugin-twilio-functions against its fixture corpus (bad fixtures report
// exactly what their `// expect:` line says, good ones nothing), plus cases for the options.
import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from '../../eslint-plugin-twilio-functions';
import { fixtures, invalidCase, validCase } from './fixtures';

const tester = new RuleTester();
const ts = { parser: tseslint.parser };
const fn = (file: string) => path.join(process.cwd(), 'project', file);
/** A SID-shaped value, assembled so this file itself holds no SID literal. */
const sid = (prefix: string, hex = '0123456789abcdef0123456789abcdef') => `${prefix}${hex}`;

/** Cases beyond the fixtures: options and edges, one line each. */
const extra: Record<string, { valid: RuleTester.ValidTestCase[]; invalid: RuleTester.InvalidTestCase[] }> = {
  'no-hardcoded-sid': {
    valid: [
      { code: `const sid = '${sid('PN')}';` },
      { code: `const sid = '${sid('AC')}';`, options: [{ allow: ['^AC0123456789abcdef'] }] },
      { code: `const sid = '${sid('AC')}0';` },
    ],
    invalid: [
      { code: `const sid = '${sid('PN')}';`, options: [{ prefixes: ['PN'] }], errors: [{ messageId: 'hardcodedSid' }] },
      {
        code: `const key = '${sid('SK', 'a'.repeat(31) + 'b')}';`,
        errors: [{ messageId: 'hardcodedSid', data: { kind: 'API key', env: 'API_KEY', sid: 'SKaaaa…ab' } }],
      },
      { code: "const a = 'AC00000000000000000000000000000000';", options: [{ allowPlaceholders: false }], errors: 1 },
    ],
  },
  'no-hardcoded-auth-token': {
    valid: [{ code: "const authToken = process.env.AUTH_TOKEN ?? '';" }, { code: "const apiToken = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';" }],
    invalid: [
      {
        code: "const apiToken = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';",
        options: [{ names: ['apiToken'] }],
        errors: [{ messageId: 'hardcodedToken' }],
      },
      { code: "process.env.TWILIO_AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';", errors: 1 },
      { code: "class Settings { authToken = 'f0e1d2c3b4a5968778695a4b3c2d1e0f'; }", errors: 1 },
      { code: "const client = new Twilio('AC' + sid, 'f0e1d2c3b4a5968778695a4b3c2d1e0f');", errors: 1 },
    ],
  },
  'webhook-signature': {
    valid: [
      { code: "exports.handler = (context, event, callback) => callback(null, event['to']);", filename: fn('functions/send.js') },
      {
        code: 'exports.handler = (context, event, callback) => callback(null, event.Body);',
        filename: fn('functions/x.js'),
        options: [{ params: ['From'] }],
      },
      {
        code: 'export async function handler(c, e, cb) { checkSignature(e); cb(null, e.From); }',
        filename: fn('functions/x.js'),
        options: [{ validators: ['checkSignature'] }],
      },
    ],
    invalid: [
      {
        code: "module.exports.handler = (context, event, callback) => callback(null, event['CallSid']);",
        filename: fn('functions/x.js'),
        errors: [{ messageId: 'unprotectedRead', data: { param: 'CallSid', suggested: 'x.protected.js' } }],
      },
      {
        code: 'const handler = (c, e, cb) => cb(null, e.RecordingUrl);\nexports.handler = handler;',
        filename: fn('functions/x.js'),
        errors: 1,
      },
      {
        code: 'export function handler(c, e, cb) { const { From } = e; cb(null, From); }',
        filename: fn('functions/x.ts'),
        languageOptions: ts,
        errors: 1,
      },
      {
        code: 'export const handler = voiceWebhook(async () => reply());',
        filename: fn('functions/voice/menu.ts'),
        options: [{ webhookWrappers: ['voiceWebhook'] }],
        languageOptions: ts,
        errors: [{ messageId: 'unprotectedWrapper' }],
      },
    ],
  },
  'no-client-credentials': {
    valid: [
      {
        code: 'const t = context.getTwilioClient();',
        filename: fn('web/app.js'),
        options: [{ browserGlobals: false }],
        languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
      },
      { code: 'const token = window.AUTH_TOKEN;', filename: fn('assets/app.js'), options: [{ publicFiles: ['^public/'] }] },
    ],
    invalid: [
      {
        code: 'const s = window.CUSTOM_SECRET;',
        filename: fn('assets/app.js'),
        options: [{ credentials: ['CUSTOM_SECRET'] }],
        errors: [{ messageId: 'credential' }],
      },
      { code: "import twilio from 'twilio';", filename: fn('public/app.js'), errors: [{ messageId: 'restClient' }] },
    ],
  },
  'e164-before-send': {
    valid: [
      {
        code: "exports.handler = async (c, e, cb) => { const n = normalizePhone(e.to); await c.getTwilioClient().messages.create({ to: n.e164, body: 'x' }).catch(cb); };",
      },
      {
        code: "exports.handler = async (c, e, cb) => { await c.getTwilioClient().messages.create({ to: e.to, body: 'x' }).catch(cb); };",
        options: [{ resources: ['calls'] }],
      },
      {
        code: 'exports.handler = async (c, e, cb) => { if (!/^\\+[1-9]\\d{7,14}$/.test(e.to)) return cb(null, 400); await c.getTwilioClient().messages.create({ to: e.to }).catch(cb); };',
      },
      { code: 'const send = (client, params) => client.messages.create(params);' },
      { code: 'const send = (to) => notTwilio.messages.create({ to });' },
    ],
    invalid: [
      {
        code: "exports.handler = async (c, e, cb) => { await c.getTwilioClient().messages.create({ to: e.From, body: 'x' }).catch(cb); };",
        options: [{ trustWebhookAddresses: false }],
        errors: [{ messageId: 'notE164' }],
      },
      {
        code: 'exports.handler = async (c, e, cb) => { await c.getTwilioClient().messages.create({ to: c.OWNER }).catch(cb); };',
        options: [{ trustConfiguration: false }],
        errors: 1,
      },
      { code: "const p = { to: input.phone, body: 'x' };\nclient.messages.create(p).catch(report);", errors: 1 },
      { code: 'twilio(sid, token).api.v2010.accounts(sid).messages.create({ to: phone }).catch(report);', errors: 1 },
    ],
  },
  'no-hardcoded-phone': {
    valid: [
      { code: "const n = '+14155551234';", filename: fn('src/settings.ts'), languageOptions: ts },
      { code: "const n = '+14155551234';", filename: fn('functions/x.js'), options: [{ allow: ['^\\+1415'] }] },
    ],
    invalid: [
      {
        code: "const n = '+14155550142';",
        options: [{ allowFictional: false }],
        errors: [{ messageId: 'hardcodedPhone', data: { number: '+14155…42' } }],
      },
      {
        code: "const n = '+15005550006';",
        filename: fn('config/numbers.js'),
        options: [{ configFiles: [], allowFictional: false }],
        errors: 1,
      },
    ],
  },
  'handle-twilio-errors': {
    valid: [
      {
        code: "exports.handler = async (c, e, cb) => { const p = c.getTwilioClient().calls(e.CallSid).update({ status: 'completed' }); await p.catch(cb); };",
      },
      { code: 'exports.handler = (c, e, cb) => { c.getTwilioClient().messages.create({}).then(() => cb(null), (error) => cb(error)); };' },
      { code: 'exports.handler = (c, e, cb) => { notTwilio.messages.create({}); cb(null); };' },
    ],
    invalid: [
      {
        code: "exports.handler = (c, e, cb) => { const client = require('twilio')(c.ACCOUNT_SID, c.AUTH_TOKEN); client.messages.create({}).finally(() => cb(null)); };",
        errors: [{ messageId: 'floating' }],
      },
      {
        code: 'exports.handler = async (c, e, cb) => { await c.getTwilioClient().sync.v1.services(c.S).documents(e.id).remove(); cb(null); };',
        errors: [{ messageId: 'awaitedInHandler' }],
      },
      {
        code: 'exports.handler = (c, e, cb) => { myClient.messages.create({}).then(() => cb(null)); };',
        options: [{ clientNames: ['myClient'] }],
        errors: 1,
      },
    ],
  },
  'specific-error-codes': {
    valid: [
      { code: 'try { await client.messages.create({}); } catch (error) { handle(error); }', languageOptions: { sourceType: 'module' } },
      { code: 'try { compute(); } catch (error) { console.log(error); }' },
    ],
    invalid: [
      { code: 'client.messages.create({}).then(ok, (error) => console.log(error.message));', errors: [{ messageId: 'ignoresCode' }] },
      {
        code: 'try { await client.messages.create({}); } catch ({ message }) { log(message); }',
        languageOptions: { sourceType: 'module' },
        errors: 1,
      },
    ],
  },
  'stop-keywords': {
    valid: [
      {
        code: 'exports.handler = (c, e, cb) => { if (isOptOut(e.Body)) return cb(null); cb(null, e.Body); };',
        options: [{ keywordChecks: ['isOptOut'] }],
      },
      { code: "exports.handler = (c, e, cb) => { if (e.Body === 'STOP') return cb(null); cb(null, e.Body); };" },
      { code: 'const read = (event) => event.Body;' },
    ],
    invalid: [
      {
        code: "exports.handler = (c, e, cb) => { if (e.Body === 'END') return cb(null); cb(null, e.Body); };",
        errors: [{ messageId: 'noStopCheck', data: { how: 'acts on `Body`' } }],
      },
    ],
  },
  'opt-out-before-send': {
    valid: [
      {
        code: 'exports.handler = async (c, e, cb) => { if (await isSuppressed(e.to)) return cb(null); await c.getTwilioClient().messages.create({ to: e.to }).catch(cb); };',
      },
      { code: "exports.handler = async (c, e, cb) => { await c.getTwilioClient().messages.create({ to: '+15005550006' }).catch(cb); };" },
    ],
    invalid: [
      {
        code: 'exports.handler = async (c, e, cb) => { await c.getTwilioClient().messages.create({ to: c.OWNER }).catch(cb); };',
        options: [{ trustConfiguration: false }],
        errors: [{ messageId: 'noOptOutCheck' }],
      },
      {
        code: 'exports.handler = async (c, e, cb) => { const optedOut = false; await c.getTwilioClient().messages.create({ to: e.to }).catch(cb); };',
        errors: 1,
      },
    ],
  },
};

describe('eslint-plugin-twilio-functions rules', () => {
  for (const [name, rule] of Object.entries(plugin.rules)) {
    const bad = fixtures(name, 'bad');
    const good = fixtures(name, 'good');
    const more = extra[name] ?? { valid: [], invalid: [] };
    tester.run(name, rule, {
      valid: [...good.map(validCase), ...more.valid],
      invalid: [...bad.map(invalidCase), ...more.invalid],
    });
  }
});
