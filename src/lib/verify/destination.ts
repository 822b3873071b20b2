import type { Settings, VerifyChannel } from '../config/settings';
import { AppError, badRequest } from '../errors/app-error';
import { optionalString, requiredPhone, requiredString, type Params } from '../http/params';
import { normalizePhone } from '../phone/e164';
import { refuseDestination } from '../outbound/geography';
import { canonicalEmail, isEmailAddress } from './email';
import { readVerificationHandle, type VerificationHandle } from './handle';

export interface StartRequest {
  /** E.164 number, or a lower-cased email address for channel email. */
  to: string;
  /** The destination as our limits count it: the number, or the canonical mailbox (see `canonicalEmail`). */
  key: string;
  channel: VerifyChannel;
  /** ISO country of a phone number. */
  country?: string;
  locale?: string;
}

const LOCALE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

/** Reads a destination: an email address for channel email, else a phone number in E.164. */
function readDestination(params: Params, settings: Settings, channel: VerifyChannel): { to: string; key: string; country?: string } {
  if (channel === 'email') {
    const raw = requiredString(params, 'to', { maxLength: 254 });
    if (!isEmailAddress(raw)) throw badRequest('invalid_email', 'This is not an email address');
    return { to: raw.toLowerCase(), key: canonicalEmail(raw) };
  }
  const { e164, country } = normalizePhone(requiredPhone(params, 'to'), { defaultCountry: settings.defaultCountry });
  refuseDestination(settings.allowedCountries, e164);
  return { to: e164, key: e164, country };
}

/** `{ to, channel?, locale? }` for /verify/start, checked against VERIFY_CHANNELS and ALLOWED_COUNTRIES. */
export function readStartRequest(params: Params, settings: Settings): StartRequest {
  const channel = (optionalString(params, 'channel', { maxLength: 16 }) ?? 'sms').toLowerCase() as VerifyChannel;
  if (!settings.verify.channels.includes(channel)) {
    throw new AppError(
      400,
      'channel_not_allowed',
      `Channel "${channel}" is not offered; use one of ${settings.verify.channels.join(', ')}`,
    );
  }
  const locale = optionalString(params, 'locale', { maxLength: 10 });
  if (locale !== undefined && !LOCALE.test(locale)) throw badRequest('invalid_parameter', '"locale" must look like "en" or "pt-BR"');
  return { ...readDestination(params, settings, channel), channel, ...(locale ? { locale } : {}) };
}

const CODE = /^[A-Za-z0-9]{4,10}$/;

/** What /verify/check asks Twilio, and the handle that must prove it. */
interface CheckRequest {
  to: string;
  key: string;
  code: string;
  verification: VerificationHandle;
}

/**
 * `{ to, code, verification }` for /verify/check; a code is 4 to 10 letters or digits, and
 * `verification` the handle /verify/start answered with, each refused before Twilio otherwise.
 */
export function readCheckRequest(params: Params, settings: Settings): CheckRequest {
  const code = requiredString(params, 'code', { maxLength: 32 });
  if (!CODE.test(code)) throw badRequest('invalid_code_format', 'A code is 4 to 10 letters or digits');
  const to = requiredString(params, 'to', { maxLength: 254 });
  const { to: destination, key } = readDestination(params, settings, to.includes('@') ? 'email' : 'sms');
  return { to: destination, key, code, verification: readVerificationHandle(params) };
}
