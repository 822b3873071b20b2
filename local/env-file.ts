import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ROOT_DIR } from './layout';

export const ENV_FILE = path.join(ROOT_DIR, '.env');
export const ENV_EXAMPLE_FILE = path.join(ROOT_DIR, '.env.example');

export type EnvVars = Record<string, string>;

/** Parses a dotenv file; missing file → empty. Values are trimmed; empty values are dropped. */
export function readEnvFile(file: string): EnvVars {
  if (!existsSync(file)) return {};
  const parsed = parseEnv(readFileSync(file, 'utf8')) as Record<string, string | undefined>;
  const vars: EnvVars = {};
  for (const [name, value] of Object.entries(parsed)) {
    const trimmed = value?.trim();
    if (trimmed) vars[name] = trimmed;
  }
  return vars;
}

export const newApiToken = (): string => randomBytes(32).toString('base64url');

/**
 * Creates `.env` from `.env.example` (sandbox defaults) when there is none, with a freshly
 * generated API_TOKEN and a sandbox Auth Token of this machine's own: the sandbox runs what is
 * deployed to it, so the token that deploys there is no public value another user of the machine
 * could use. Returns true when it created the file.
 */
export function ensureEnvFile(file = ENV_FILE): boolean {
  if (existsSync(file)) return false;
  const text = readFileSync(ENV_EXAMPLE_FILE, 'utf8')
    .replace(/^API_TOKEN=\s*$/m, `API_TOKEN=${newApiToken()}`)
    // Shaped like Twilio's (32 hex digits), as twilio-run and the runtime check.
    .replace(/^AUTH_TOKEN=.*$/m, `AUTH_TOKEN=${randomBytes(16).toString('hex')}`);
  writeFileSync(file, text, { mode: 0o600 });
  return true;
}

/**
 * Fills an empty `VERIFY_SERVICE_SID` of a sandbox env file (TWILIO_SANDBOX_URL set) with a new
 * `VA…` SID (a Verify Service SID is `^VA[0-9a-fA-F]{32}$`: https://www.twilio.com/docs/verify/api/verification),
 * which `npm run sandbox` and `npm start` seed from the same file, so Functions served by another
 * tool (`twilio-run start`) reach a Verify service. Returns the SID it wrote, or undefined when it
 * changed nothing (a real account, or a SID already set).
 */
export function ensureSandboxVerifyService(file = ENV_FILE): string | undefined {
  const env = readEnvFile(file);
  if (!env.TWILIO_SANDBOX_URL || env.VERIFY_SERVICE_SID) return undefined;
  const sid = `VA${randomBytes(16).toString('hex')}`;
  const text = readFileSync(file, 'utf8');
  const line = `VERIFY_SERVICE_SID=${sid}`;
  writeFileSync(
    file,
    /^VERIFY_SERVICE_SID=.*$/m.test(text) ? text.replace(/^VERIFY_SERVICE_SID=.*$/m, line) : `${text.replace(/\n?$/, '\n')}${line}\n`,
  );
  return sid;
}
