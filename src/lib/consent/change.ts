import type { Settings } from '../config/settings';
import { badRequest } from '../errors/app-error';
import { optionalString, requiredPhone, requiredString, type Params } from '../http/params';
import { CHANNELS, type Channel } from '../outbound/address';
import { PURPOSES, type Purpose } from '../outbound/purpose';
import { normalizePhone } from '../phone/e164';
import type { Stores } from '../stores';
import type { ConsentSource } from '../stores/consent';
import { ownChangeEvent, type ConsentEvent } from '../stores/consent-history';
import type { ConsentMethod } from '../stores/consent-days';

/** Bounds of a recorded change: one history event stays under about 700 bytes (see MAX_HISTORY). */
const CONSENT_LIMITS = { sourceBytes: 64, wordingBytes: 480, futureSkewSeconds: 60 } as const;

/** A change of consent to record: who, on which channel, for what, and the proof. */
export interface ConsentChange {
  number: string;
  event: ConsentEvent;
  /** How it reached us (what the day's counters count it by): `POST /consent` or a campaign's upload. */
  method: Extract<ConsentMethod, 'api' | 'campaign'>;
}

function boundedText(params: Params, name: string, maxBytes: number, required: boolean): string | undefined {
  const value = required ? requiredString(params, name, { maxLength: maxBytes }) : optionalString(params, name, { maxLength: maxBytes });
  if (value !== undefined && Buffer.byteLength(value) > maxBytes)
    throw badRequest('invalid_parameter', `"${name}" is longer than ${maxBytes} bytes`);
  return value;
}

function oneOf<T extends string>(params: Params, name: string, allowed: readonly T[], fallback?: T): T {
  const value = fallback === undefined ? requiredString(params, name, { maxLength: 16 }) : optionalString(params, name, { maxLength: 16 });
  if (value === undefined) return fallback as T;
  if (!(allowed as readonly string[]).includes(value)) throw badRequest('invalid_parameter', `"${name}" is ${allowed.join(' or ')}`);
  return value as T;
}

/** An ISO 8601 date-time with its offset: the calendar date's parts, the offset. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `at` falls on the calendar date the text names, in the text's own offset (Date.parse rolls 02-30 over to March). */
function namesItsOwnDate([, year, month, day, offset]: RegExpExecArray, at: number): boolean {
  const minutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(at + minutes * 60_000);
  return local.getUTCFullYear() === Number(year) && local.getUTCMonth() + 1 === Number(month) && local.getUTCDate() === Number(day);
}

/**
 * When the person gave their consent, as `POST /consent`'s `at` and a campaign row's `consentAt`
 * both give it: an ISO 8601 date-time with its offset (a date alone, or a time without an offset,
 * would be read in the server's zone, not what the person saw; an impossible date such as 02-30
 * is refused, not rolled over), never more than a minute in the future; a 400 `invalid_parameter`
 * naming `name` otherwise. Milliseconds since the epoch.
 */
function consentTime(name: string, text: string, now: Date): number {
  const match = text.length <= 40 ? ISO_DATE_TIME.exec(text) : null;
  const at = match ? Date.parse(text) : NaN;
  if (!match || !Number.isFinite(at) || !namesItsOwnDate(match, at))
    throw badRequest('invalid_parameter', `"${name}" must be an ISO 8601 time with its offset, such as 2026-05-01T12:00:00Z`);
  if (at > now.getTime() + CONSENT_LIMITS.futureSkewSeconds * 1_000)
    throw badRequest('invalid_parameter', `"${name}" may not be in the future`);
  return at;
}

/**
 * `POST /consent`: `{ number, channel, purpose, source, wording, at?, change? }`. An opt-in (the
 * default change) needs the wording the person agreed to; `at` (when they gave it, ISO) defaults
 * to now and may not lie in the future.
 */
export function readConsentChange(params: Params, settings: Settings, now = new Date()): ConsentChange {
  const number = normalizePhone(requiredPhone(params, 'number'), { defaultCountry: settings.defaultCountry }).e164;
  const channel = oneOf<Channel>(params, 'channel', CHANNELS);
  const purpose = oneOf<Purpose>(params, 'purpose', PURPOSES);
  const change = oneOf(params, 'change', ['opt-in', 'opt-out'] as const, 'opt-in');
  const source = boundedText(params, 'source', CONSENT_LIMITS.sourceBytes, true) as string;
  const wording = boundedText(params, 'wording', CONSENT_LIMITS.wordingBytes, change === 'opt-in');
  const atText = optionalString(params, 'at', { maxLength: 40 });
  const at = atText === undefined ? now.getTime() : consentTime('at', atText, now);
  return {
    number,
    method: 'api',
    event: {
      channel,
      purpose,
      change,
      source,
      ...(wording ? { wording } : {}),
      at: new Date(at).toISOString(),
      recordedAt: now.toISOString(),
    },
  };
}

/** The leading part of `text` that fits in `maxBytes` of UTF-8, cut between characters. */
function leadingBytes(text: string, maxBytes: number): string {
  let out = '';
  for (const char of text) {
    if (Buffer.byteLength(out + char) > maxBytes) break;
    out += char;
  }
  return out;
}

/** A campaign row's proof, as its CSV columns `consentSource` and `consentAt` carry it. */
export interface RowProof {
  consentSource: unknown;
  consentAt: unknown;
}

/**
 * A marketing campaign row's proof as the opt-in `POST /consent` would record: source
 * `campaign:<id>:<consentSource>`, wording the campaign's body (or its Content template's SID),
 * `at` = `consentAt`. The same bounds as `POST /consent` (source 64 bytes, `at` an ISO time not in
 * the future; the wording is cut to its 480 bytes); a 400 `invalid_parameter` otherwise.
 */
export function campaignOptIn(
  number: string,
  campaign: { id: string; channel: Channel; body?: string; contentSid?: string },
  { consentSource, consentAt }: RowProof,
  now = new Date(),
): ConsentChange {
  const source = typeof consentSource === 'string' ? consentSource.trim() : '';
  if (!source || Buffer.byteLength(source) > CONSENT_LIMITS.sourceBytes)
    throw badRequest('invalid_parameter', `"consentSource" is a text of 1 to ${CONSENT_LIMITS.sourceBytes} bytes`);
  const at = consentTime('consentAt', typeof consentAt === 'string' ? consentAt.trim() : '', now);
  const wording = campaign.body ?? `Content template ${campaign.contentSid ?? ''}`;
  return {
    number,
    method: 'campaign',
    event: {
      channel: campaign.channel,
      purpose: 'marketing',
      change: 'opt-in',
      source: `campaign:${campaign.id}:${source}`,
      wording: leadingBytes(wording, CONSENT_LIMITS.wordingBytes),
      at: new Date(at).toISOString(),
      recordedAt: now.toISOString(),
    },
  };
}

/**
 * Records a change: an opt-out first stops sends (an opt-out of marketing stops marketing only,
 * of transactional everything on the channel, as STOP does), then joins the history; an opt-in
 * joins the history, whose latest marketing opt-in is the proof the gate asks for. An opt-in
 * here never lifts a STOP: only the person's own START does. Says whether an opt-out is new (the
 * number had not already opted out of it), so it is confirmed once.
 */
export async function recordConsentChange(stores: Stores, { number, event, method }: ConsentChange): Promise<{ newOptOut: boolean }> {
  let newOptOut = false;
  if (event.change === 'opt-out') {
    const at = new Date(event.at);
    newOptOut =
      event.purpose === 'marketing'
        ? await stores.consent.optOutOfMarketing(event.channel, number, 'api', at)
        : await stores.consent.optOut(event.channel, number, 'api', undefined, at);
  }
  await stores.consentHistory.append(number, event, { method });
  return { newOptOut };
}

/**
 * An opt-out of everything on the channel that reached us another way than a message (Twilio's
 * 21610, the IVR's 9): the consent record and its history (`source`, or `source:keyword`), side by
 * side. Whether it is new (the number had not already opted out of everything on the channel).
 */
export async function recordOwnOptOut(
  stores: Pick<Stores, 'consent' | 'consentHistory'>,
  channel: Channel,
  number: string,
  { source, keyword, now = new Date() }: { source: ConsentSource; keyword?: string; now?: Date },
): Promise<boolean> {
  const historySource = keyword ? `${source}:${keyword}` : source;
  const [newOptOut] = await Promise.all([
    stores.consent.optOut(channel, number, source, keyword, now),
    stores.consentHistory.append(number, ownChangeEvent(channel, 'opt-out', historySource, now, 'transactional', now), { method: source }),
  ]);
  return newOptOut;
}
