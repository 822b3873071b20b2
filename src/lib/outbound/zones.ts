// Where a number's owner may be, in time zones: by country (one zone, or a span for countries over
// several), and the local time there. Shared by the gate's marketing hours and campaigns' quiet hours.

/**
 * Countries with one time zone: the recipient's zone follows from the number. Countries spread
 * over several (US, CA, BR, AU, RU, MX, ...) fall back to the campaign's `timeZone`.
 */
export const SINGLE_ZONE: Readonly<Record<string, string>> = {
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
export const ZONE_SPAN: Readonly<Record<string, readonly string[]>> = {
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

/** One formatter per zone for the life of the instance: building one costs far more than using it. */
const clocks = new Map<string, Intl.DateTimeFormat>();
const clockOf = (timeZone: string): Intl.DateTimeFormat => {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clocks.set(timeZone, clock);
  }
  return clock;
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The time of day (minutes after midnight) and the day of the week (0 = Sunday) at an instant in a zone. */
export function localTime(now: Date, timeZone: string): { minutes: number; weekday: number } {
  const parts = clockOf(timeZone).formatToParts(now);
  const value = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return { minutes: Number(value('hour')) * 60 + Number(value('minute')), weekday: WEEKDAYS.indexOf(value('weekday')) };
}

/** Minutes after midnight, now, in a zone. */
export const localMinutes = (now: Date, timeZone: string): number => localTime(now, timeZone).minutes;
