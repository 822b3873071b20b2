import { countryOf } from '../outbound/geography';

/** Local hours no marketing message is sent in, e.g. 21:00 to 08:00, with the sender's time zone. */
export interface QuietHours {
  /** Minutes after midnight. */
  start: number;
  end: number;
  /** The sender's IANA zone, used when the recipient's own zone is not known from the number. */
  timeZone?: string;
}

/**
 * Countries with one time zone: the recipient's zone follows from the number. Countries spread
 * over several (US, CA, BR, AU, RU, MX, ...) fall back to the campaign's `timeZone`.
 */
const SINGLE_ZONE: Readonly<Record<string, string>> = {
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  CH: 'Europe/Zurich',
  AT: 'Europe/Vienna',
  SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo',
  DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  GR: 'Europe/Athens',
  CZ: 'Europe/Prague',
  IL: 'Asia/Jerusalem',
  IN: 'Asia/Kolkata',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  SG: 'Asia/Singapore',
  PH: 'Asia/Manila',
  ZA: 'Africa/Johannesburg',
  NG: 'Africa/Lagos',
  KE: 'Africa/Nairobi',
  NZ: 'Pacific/Auckland',
  JM: 'America/Jamaica',
  PR: 'America/Puerto_Rico',
  // The other US territories, their own countries for libphonenumber-js (zones: libphonenumber's
  // resources/timezones/map_data.txt, 1340, 1671, 1670, 1684).
  VI: 'America/St_Thomas',
  GU: 'Pacific/Guam',
  MP: 'Pacific/Saipan',
  AS: 'Pacific/Pago_Pago',
};

/**
 * Countries over several zones, by their easternmost and westernmost populous zones: without a
 * sender zone, a recipient there is quiet when it is quiet anywhere in between (a number does
 * not say which zone its owner lives in).
 */
const ZONE_SPAN: Readonly<Record<string, readonly string[]>> = {
  US: ['America/New_York', 'America/Los_Angeles'],
  CA: ['America/Halifax', 'America/Vancouver'],
  MX: ['America/Mexico_City', 'America/Tijuana'],
  BR: ['America/Sao_Paulo', 'America/Manaus'],
  AU: ['Australia/Sydney', 'Australia/Perth'],
  RU: ['Europe/Moscow', 'Asia/Vladivostok'],
};

/** The zones a country's numbers may be in: its one zone, or its span; undefined when not known. */
export const zonesOfCountry = (country: string): readonly string[] | undefined =>
  SINGLE_ZONE[country] ? [SINGLE_ZONE[country]] : ZONE_SPAN[country];

export const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const minutesOf = (hhmm: string): number => {
  const [, hours, minutes] = HHMM.exec(hhmm) ?? [];
  return Number(hours) * 60 + Number(minutes);
};

/**
 * Why a quiet window cannot be used, or undefined when it can. `start` is when holding begins and
 * `end` when sending resumes: start after end (21:00 to 08:00) holds overnight, the usual form;
 * start before end (12:00 to 14:00) holds within a day. Refused: start equal to end (an empty
 * window, or all day: no one can tell which was meant), and, for marketing, a window that leaves
 * midnight open (08:00 to 21:00, 07:00 to 22:00), which would send at night: the hours the wrong
 * way round (the US TCPA allows marketing from 8 a.m. to 9 p.m. only, 47 CFR 64.1200(c)(1)).
 */
export function quietHoursProblem(
  { start, end }: Pick<QuietHours, 'start' | 'end'>,
  kind: 'transactional' | 'marketing',
): string | undefined {
  if (start === end) return 'start and end are the same time: give the hours to hold messages in, e.g. 21:00 to 08:00';
  if (kind === 'marketing' && start < end && start !== 0)
    return 'leaves midnight open, so marketing would go at night: quiet hours are the hours to hold messages in, e.g. 21:00 to 08:00';
  return undefined;
}

/** Minutes after midnight, now, in a zone. */
export function localMinutes(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

function minutesLeftIn(quiet: QuietHours, zone: string, now: Date): number {
  const minutes = localMinutes(now, zone);
  const inside = quiet.start <= quiet.end ? minutes >= quiet.start && minutes < quiet.end : minutes >= quiet.start || minutes < quiet.end;
  if (!inside) return 0;
  return (quiet.end - minutes + 24 * 60) % (24 * 60) || 24 * 60;
}

/**
 * Minutes until a recipient's quiet hours end, or 0 when they are outside them now: in the
 * number's country's zone when it has one, else the sender's zone when the campaign gave one,
 * else in every zone the country spans (UTC for the rest).
 */
export function quietMinutesLeft(quiet: QuietHours, e164: string, now = new Date()): number {
  const country = countryOf(e164) ?? '';
  const zones = SINGLE_ZONE[country] ? [SINGLE_ZONE[country]] : quiet.timeZone ? [quiet.timeZone] : (ZONE_SPAN[country] ?? ['UTC']);
  return Math.max(...zones.map((zone) => minutesLeftIn(quiet, zone, now)));
}
