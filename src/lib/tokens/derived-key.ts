import { hkdfSync } from 'node:crypto';
import type { Settings } from '../config/settings';
import { AppError } from '../errors/app-error';

/**
 * A key of its own for one use (`label`): HKDF-SHA256 of API_SECRET when an API key is in use,
 * else of AUTH_TOKEN (the secret the Twilio client itself runs on). Never logged; rotating that
 * secret voids what was signed with the old key.
 */
export function derivedKey({ apiKey, apiSecret, authToken }: Pick<Settings, 'apiKey' | 'apiSecret' | 'authToken'>, label: string): Buffer {
  const secret = apiKey && apiSecret ? apiSecret : authToken;
  if (!secret) throw new AppError(500, 'not_configured', `${label} needs a key derived from AUTH_TOKEN or API_SECRET: set one`);
  return Buffer.from(hkdfSync('sha256', secret, '', label, 32));
}
