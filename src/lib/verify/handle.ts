import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Settings, VerifyChannel } from '../config/settings';
import { AppError, badRequest } from '../errors/app-error';
import type { Params } from '../http/params';
import { derivedKey } from '../tokens/derived-key';
import { verifyServiceSid, type VerifyContext } from './start';

/**
 * The `verification` handle /verify/start answers with and /verify/check requires: proof that
 * whoever checks a code is whoever asked for it, so a stranger who knows only the number cannot
 * spend the victim's 5 checks nor learn whether a code is pending. Stateless: an HMAC over the
 * destination, the channel, the Verify service, an expiry and a random nonce; nothing is stored.
 */

/** Twilio Verify codes are valid for 10 minutes by default (https://twilio.com/docs/verify/api/rate-limits-and-timeouts, "Code Validity Period"); a handle lives as long. */
const HANDLE_LIFETIME_SECONDS = 10 * 60;

/** The HKDF label: a key of its own, derived from the account's secret and used for nothing else. */
const KEY_LABEL = 'twilio-comms verify handle v1';
const VERSION = 'v1';
const CHANNELS = '(?:sms|call|whatsapp|email)';
/** `v1.<expiry, Unix seconds>.<channel>.<16-byte nonce>.<32-byte HMAC-SHA256>`, base64url without padding. */
const FORMAT = new RegExp(`^${VERSION}\\.(\\d{10,11})\\.(${CHANNELS})\\.([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})$`);
/** Longer than any handle we issue (about 90 characters): refused before any work. */
const MAX_LENGTH = 128;

/** A handle as read from a request: well-formed, not yet trusted. */
export interface VerificationHandle {
  expiresAt: number;
  channel: VerifyChannel;
  nonce: string;
  mac: string;
}

/** What a handle is bound to besides its own fields. */
interface Binding {
  /** The destination as Twilio is asked to check it (E.164 or the lower-cased address). */
  to: string;
  /** The Verify service (VA…) that sent the code. */
  serviceSid: string;
}

/** The MAC as base64url: over a JSON array, so no field can bleed into its neighbour. */
function macOf(settings: Settings, binding: Binding, channel: VerifyChannel, expiresAt: number, nonce: string): string {
  const signed = JSON.stringify([VERSION, binding.to, channel, binding.serviceSid, expiresAt, nonce]);
  return createHmac('sha256', derivedKey(settings, KEY_LABEL)).update(signed).digest('base64url');
}

/** A fresh handle for the code just asked for on `channel` to `binding.to`, valid HANDLE_LIFETIME_SECONDS. */
export function issueVerificationHandle(settings: Settings, binding: Binding, channel: VerifyChannel, now = Date.now()): string {
  const expiresAt = Math.floor(now / 1000) + HANDLE_LIFETIME_SECONDS;
  const nonce = randomBytes(16).toString('base64url');
  return [VERSION, expiresAt, channel, nonce, macOf(settings, binding, channel, expiresAt, nonce)].join('.');
}

/**
 * The handle /verify/start answers with, made before the code is sent: a service that cannot
 * sign one (no secret; its Twilio client could not run either) refuses before paying.
 */
export const handleForStart = (context: VerifyContext, to: string, channel: VerifyChannel): string =>
  issueVerificationHandle(context.settings, { to, serviceSid: verifyServiceSid(context) }, channel);

/** The `verification` parameter: 400 `missing_parameter` without it, 400 `invalid_verification` when it is not one of ours in shape or size. */
export function readVerificationHandle(params: Params): VerificationHandle {
  const value = params.verification;
  if (value === undefined || value === null || value === '')
    throw badRequest('missing_parameter', '"verification" is required: send the handle /verify/start answered with');
  const match = typeof value === 'string' && value.length <= MAX_LENGTH ? FORMAT.exec(value) : null;
  if (!match) throw badRequest('invalid_verification', '"verification" is not a handle /verify/start answered with');
  return { expiresAt: Number(match[1]), channel: match[2] as VerifyChannel, nonce: match[3], mac: match[4] };
}

/**
 * Refuses, before Twilio is asked, a handle signed for another destination or service, altered, or
 * expired: 422 `verification_mismatch` or `verification_expired` (a page sees these as a wrong
 * code, see `concealCheckVerdict`). The comparison takes the same time wherever the MACs differ.
 */
export function requireHandleFor(settings: Settings, handle: VerificationHandle, binding: Binding, now = Date.now()): void {
  const expected = Buffer.from(macOf(settings, binding, handle.channel, handle.expiresAt, handle.nonce));
  const given = Buffer.from(handle.mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new AppError(422, 'verification_mismatch', 'This handle was not issued for this destination');
  if (Math.floor(now / 1000) >= handle.expiresAt) throw new AppError(422, 'verification_expired', 'This handle has expired');
}
