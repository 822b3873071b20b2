// The env file a deploy uploads, read as twilio-run's deploy reads it: with the very `dotenv`
// that twilio-run loads (resolved from twilio-run's own files, so the version is always the one it
// runs). A file other parsers read differently (a byte order mark, a value spanning lines: Node's
// parseEnv and newer dotenv read on, twilio-run's reads one line) is refused, naming the variable.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EnvVars } from './env-file';

interface Dotenv {
  parse(src: string): Record<string, string>;
}

/** twilio-run's env reader (dist/config/utils/env.js `readLocalEnvFile`), whose `require('dotenv')` this repeats. */
const TWILIO_RUN_ENV_READER = require.resolve('twilio-run/dist/config/utils/env');
const twilioRunDotenv = createRequire(TWILIO_RUN_ENV_READER)('dotenv') as Dotenv;

/** The version of dotenv twilio-run parses env files with. */
export const twilioRunDotenvVersion = (): string =>
  (createRequire(TWILIO_RUN_ENV_READER)('dotenv/package.json') as { version: string }).version;

/** A variable line as dotenv's parse reads one (dotenv 6 `lib/main.js`). */
const LINE = /^\s*([\w.-]+)\s*=\s*(.*)?\s*$/;
const QUOTES = ['"', "'", '`'];
const FIX_BOM = 'save the file as UTF-8 without a BOM';
const FIX_LINES = 'keep every value on one line';

/** What a deploy uploads, and why the file must not be uploaded (one line per problem, values never shown). */
export interface DeployEnv {
  env: EnvVars;
  refusals: string[];
}

/** Reads an env file as twilio-run's deploy does, with the refusals for what other parsers read otherwise; missing file → empty. */
export function readDeployEnvFile(file: string): DeployEnv {
  return existsSync(file) ? parseDeployEnv(readFileSync(file, 'utf8')) : { env: {}, refusals: [] };
}

/** `readDeployEnvFile` on text. Empty values are dropped, as twilio-run's deploy drops them. */
export function parseDeployEnv(text: string): DeployEnv {
  const env: EnvVars = {};
  for (const [name, value] of Object.entries(twilioRunDotenv.parse(text))) if (value !== '') env[name] = value;
  const refusals: string[] = [];
  text.split('\n').forEach((line, index) => {
    const variable = LINE.exec(line.replace(/\uFEFF/g, ''));
    const name = variable?.[1] ?? `line ${index + 1}`;
    if (line.includes('\uFEFF'))
      refusals.push(
        `${name}: its line holds a byte order mark (U+FEFF), which twilio-run reads past and other tools keep as part of the name. Fix: ${FIX_BOM}.`,
      );
    if (!variable) return;
    const raw = (variable[2] ?? '').trim();
    const quote = QUOTES.find((mark) => raw.startsWith(mark));
    if (quote && (raw.length === 1 || !raw.endsWith(quote)))
      refusals.push(
        `${name}: its value opens a ${quote} quote that does not close on its line: twilio-run reads one line, other tools read on into the next lines, so they disagree on what the file sets. Fix: ${FIX_LINES}.`,
      );
  });
  for (const [name, value] of Object.entries(env))
    if (/[\r\n]/.test(value))
      refusals.push(`${name}: its value holds a line break ("\\n" inside double quotes). Fix: ${FIX_LINES}, without "\\n".`);
  return { env, refusals };
}
