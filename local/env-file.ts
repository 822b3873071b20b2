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

/** The sandbox's built-in credentials, as `.env.example` defines them. */
export function sandboxDefaults(): { accountSid?: string; authToken?: string } {
  const example = readEnvFile(ENV_EXAMPLE_FILE);
  return { accountSid: example.ACCOUNT_SID, authToken: example.AUTH_TOKEN };
}
