// `npm run lint` with the project's own eslint.config.js (ESLint's Node API): code planted in
// src/ that breaks a Twilio rule or an import boundary fails, naming the rule; the same route
// written the project's way passes. Planted with lintText at a path in the tree (the file is
// never written, so nobody's build or test run sees it).
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
// Jest's VM cannot run ESLint's dynamic import() of the config file: load the same (CommonJS) file here.
const projectConfig = require(path.join(ROOT, 'eslint.config.js')) as Linter.Config[];
/**
 * Planted files are not on disk, so they are linted without type information: none of the Twilio
 * rules or import boundaries reads types, and building a TypeScript program for them cost this
 * suite about 13 s of CPU. The type-aware rules run on the real files in `npm run lint`.
 */
const PLANTED = ['src/functions/planted*.ts', 'src/functions/sms/planted*.ts', 'src/lib/planted*.ts', 'sandbox/planted*.ts'];
const untypedForPlanted: Linter.Config = { ...(tseslint.configs.disableTypeChecked as Linter.Config), files: PLANTED };
const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: [...projectConfig, untypedForPlanted] });

/** The rules that fail (severity error) for `code` linted as if it were at `file`. */
async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  const fatal = result.messages.filter((message) => message.fatal);
  if (fatal.length > 0) throw new Error(`${file} did not parse: ${fatal.map((message) => message.message).join('; ')}`);
  return result.messages.filter((message) => message.severity === 2).map((message) => message.ruleId ?? '');
}

const ASSET = "import type * as Comms from '../../lib';\n";
/** A Messaging Service SID, assembled so this file holds none. */
const SERVICE_SID = ['MG', '3f0c9a2b7d4e1f6a8b5c2d9e0f1a7b3c'].join('');

describe('npm run lint on planted code', () => {
  it('fails a hardcoded SID in src/functions with no-hardcoded-sid', async () => {
    const code = `${ASSET}const { apiAction, json } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;
export const handler = apiAction(async () => json({ service: '${SERVICE_SID}' }));
`;
    expect(await errorsFor('src/functions/sms/planted-sid.ts', code)).toContain('twilio-functions/no-hardcoded-sid');
  });

  it('fails an unprotected webhook reading event.Body with webhook-signature', async () => {
    const code = `export const handler = (context: unknown, event: { Body?: string }, callback: (error: null, twiml: string) => void): void => {
  callback(null, \`<Response><Message>You said \${event.Body ?? ''}</Message></Response>\`);
};
`;
    expect(await errorsFor('src/functions/sms/planted-webhook.ts', code)).toContain('twilio-functions/webhook-signature');
  });

  it('fails a twilioWebhook route whose file is not *.protected with webhook-signature', async () => {
    const code = `${ASSET}const { twilioWebhook, twiml, noReply } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;
export const handler = twilioWebhook(() => twiml(noReply()));
`;
    expect(await errorsFor('src/functions/sms/planted-status.ts', code)).toContain('twilio-functions/webhook-signature');
    expect(await errorsFor('src/functions/sms/planted-status.protected.ts', code)).toEqual([]);
  });

  it('fails a bare messages.create in src/functions with opt-out-before-send and e164-before-send', async () => {
    const code = `${ASSET}const { apiAction, json } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;
export const handler = apiAction(async (input) => {
  const message = await input.twilio().messages.create({ to: String(input.params.to), from: input.settings.phoneNumber, body: 'Hello' });
  return json({ sid: message.sid });
});
`;
    const errors = await errorsFor('src/functions/sms/planted-send.ts', code);
    expect(errors).toContain('twilio-functions/opt-out-before-send');
    expect(errors).toContain('twilio-functions/e164-before-send');
  });

  it('passes the same send through the outbound gate', async () => {
    const code = `${ASSET}const { apiAction, json, readSendRequest, clearAndSend } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;
export const handler = apiAction(async (input) => {
  const { to, body } = readSendRequest(input.params, input.settings);
  const message = await clearAndSend(input, { channel: 'sms', to, trigger: 'api' }, { body });
  return json({ sid: message.sid });
});
`;
    expect(await errorsFor('src/functions/sms/planted-gated.ts', code)).toEqual([]);
  });

  it('fails the import boundaries with no-restricted-imports / no-restricted-syntax', async () => {
    const restricted = '@typescript-eslint/no-restricted-imports';
    expect(
      await errorsFor('sandbox/planted.ts', "import { normalizePhone } from '../src/lib/phone/e164';\nexport const n = normalizePhone;\n"),
    ).toContain(restricted);
    expect(
      await errorsFor('src/lib/planted.ts', "import { startSandbox } from '../../sandbox';\nexport const s = startSandbox;\n"),
    ).toContain(restricted);
    expect(
      await errorsFor('src/lib/planted.ts', "import { bindNumber } from '../../local/bind';\nexport const b = bindNumber;\n"),
    ).toContain(restricted);
    expect(await errorsFor('src/functions/planted.ts', "import { json } from '../lib';\nexport const j = json;\n")).toContain(restricted);
    expect(
      await errorsFor('src/functions/planted.ts', "import type { Settings } from '../lib/config/settings';\nexport type S = Settings;\n"),
    ).toContain(restricted);
    expect(await errorsFor('src/functions/planted.ts', "const helper = require('./sms/helper');\nexport const h = helper;\n")).toContain(
      'no-restricted-syntax',
    );
    expect(await errorsFor('src/functions/planted.ts', "import type * as Comms from '../lib';\nexport type C = typeof Comms;\n")).toEqual(
      [],
    );
  });
});
