import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDeployEnv, readDeployEnvFile, twilioRunDotenvVersion } from '../../local/deploy-env-file';
import { deployRefusals } from '../../local/deploy-guard';
import { readEnvFile } from '../../local/env-file';
import { ROOT_DIR } from '../../local/layout';
import { deployPreflight } from '../../local/preflight';
import { match } from '../support/match';

type EnvReaders = {
  readLocalEnvFile: (flags: { cwd: string; env: string }) => Promise<{ localEnv: Record<string, string> }>;
  filterEnvVariablesForDeploy: (env: Record<string, string>) => Record<string, string>;
};
const twilioRun = require('twilio-run/dist/config/utils/env') as EnvReaders;

const STRONG_TOKEN = 'rYFqXd32xUDeA2fXH4biUEEMwyvHxz8voHscofi0UzE';
const REAL = [
  `ACCOUNT_SID=AC${'a1'.repeat(16)}`,
  `API_KEY=SK${'b2'.repeat(16)}`,
  'API_SECRET=XBy2S6ViQH7Ph75imXWPM7-K800hJ-rK',
  `API_TOKEN=${STRONG_TOKEN}`,
];
const SANDBOX_LINE = 'TWILIO_SANDBOX_URL=http://localhost:3001';
const BOM = `\uFEFF${SANDBOX_LINE}\n${REAL.join('\n')}\n`;
const MULTI_LINE = `HELP_MESSAGE="Reply STOP to stop\n${SANDBOX_LINE}\n"\n${REAL.join('\n')}\n`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-env-'));
const fileWith = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
/** What `twilio-run deploy --env <file>` uploads, read by twilio-run's own functions. */
const uploadedBy = async (file: string) =>
  twilioRun.filterEnvVariablesForDeploy((await twilioRun.readLocalEnvFile({ cwd: dir, env: path.basename(file) })).localEnv);

describe('the deploy env file, read as twilio-run reads it', () => {
  it("parses with twilio-run's own dotenv (the version twilio-run resolves)", () => {
    const twilioRunDir = path.dirname(require.resolve('twilio-run/package.json'));
    // Node's lookup from twilio-run: its own node_modules first, then the project's.
    const nested = path.join(twilioRunDir, 'node_modules', 'dotenv', 'package.json');
    const file = existsSync(nested) ? nested : path.join(ROOT_DIR, 'node_modules', 'dotenv', 'package.json');
    const resolved = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
    const declared = (JSON.parse(readFileSync(path.join(twilioRunDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
      .dependencies.dotenv;
    expect(declared).toMatch(new RegExp(`^\\^?${resolved.version.split('.')[0]}\\.`));
    expect(twilioRunDotenvVersion()).toBe(resolved.version);
  });

  it.each([
    ['a BOM', BOM],
    ['a multi-line value', MULTI_LINE],
    ['export, single quotes, spaces and CRLF', `export A=1\r\nB = 'two words' \r\nC="x"\r\n# D=4\r\nE=\r\n`],
  ])('reads what twilio-run uploads, for %s', async (_name, text) => {
    const file = fileWith('.env.same', text);
    const { ACCOUNT_SID: _sid, AUTH_TOKEN: _token, ...ours } = readDeployEnvFile(file).env;
    expect(ours).toEqual(await uploadedBy(file));
  });

  it('sees TWILIO_SANDBOX_URL behind a BOM, which the local parser hides, and refuses the BOM by name', () => {
    const file = fileWith('.env.bom', BOM);
    expect(readEnvFile(file).TWILIO_SANDBOX_URL).toBeUndefined();
    const { env, refusals } = readDeployEnvFile(file);
    expect(env.TWILIO_SANDBOX_URL).toBe('http://localhost:3001');
    expect(refusals).toEqual([
      match.stringMatching(/^TWILIO_SANDBOX_URL: its line holds a byte order mark .*Fix: save the file as UTF-8 without a BOM\.$/),
    ]);
    expect(deployRefusals(env)).toEqual([match.stringMatching(/^TWILIO_SANDBOX_URL: is local only/)]);
  });

  it('sees TWILIO_SANDBOX_URL inside a multi-line value, which the local parser hides, and refuses the value by name', () => {
    const file = fileWith('.env.lines', MULTI_LINE);
    expect(readEnvFile(file).TWILIO_SANDBOX_URL).toBeUndefined();
    const { env, refusals } = readDeployEnvFile(file);
    expect(env.TWILIO_SANDBOX_URL).toBe('http://localhost:3001');
    expect(refusals).toEqual([
      match.stringMatching(
        /^HELP_MESSAGE: its value opens a " quote that does not close on its line.*Fix: keep every value on one line\.$/,
      ),
    ]);
  });

  it('refuses a "\\n" that twilio-run turns into a line break, and accepts one-line quoted values', () => {
    expect(parseDeployEnv('HELP_MESSAGE="one\\ntwo"\n').refusals).toEqual([
      match.stringMatching(/^HELP_MESSAGE: its value holds a line break/),
    ]);
    expect(parseDeployEnv(`HELP_MESSAGE="Reply HELP"\nAUTO_REPLY='It''s fine'\nX=\`y\`\n`).refusals).toEqual([]);
    expect(parseDeployEnv("AUTO_REPLY='\n").refusals).toEqual([match.stringMatching(/^AUTO_REPLY: its value opens a ' quote/)]);
  });

  it('twilio-run deploy (through .twilioserverlessrc.js) refuses a BOM file before any upload', async () => {
    const file = fileWith('.env.preflight', BOM);
    const result = await deployPreflight('deploy', ['--env', file]);
    expect(result.refused).toBe(true);
    expect(result.lines).toEqual(
      expect.arrayContaining([
        match.stringMatching(/^ {2}TWILIO_SANDBOX_URL: its line holds a byte order mark/),
        match.stringMatching(/^ {2}TWILIO_SANDBOX_URL: is local only/),
      ]),
    );
  });
});
