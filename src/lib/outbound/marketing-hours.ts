import { countryOf } from './geography';
import { localMinutes, localTime, zonesOfCountry } from './zones';
import { stateOfUsNumber, STATE_ZONES, US_ZONES } from './us-area-codes';

/** Local hours: from `start` (included) to `end` (excluded), minutes after midnight, start < end ≤ 24:00. */
interface Span {
  start: number;
  end: number;
}

/**
 * Local hours marketing may go in, and, where a state says so, other hours on some days of the
 * week (`days`, by local weekday, 0 = Sunday to 6 = Saturday; `null`: none that day).
 */
interface MarketingWindow extends Span {
  days?: Readonly<Partial<Record<number, Span | null>>>;
}

/** The window for places without one of their own (`default`) and each US state's (`states`, by USPS code). */
export interface MarketingHours {
  default: MarketingWindow;
  states: Readonly<Record<string, MarketingWindow>>;
}

const at = (hours: number): number => hours * 60;
const SUNDAY = 0;
const SATURDAY = 6;

/**
 * The law's windows, the defaults (docs/outbound-gate.md#quiet-hours cites each): federal, no
 * telephone solicitation before 8 a.m. or after 9 p.m. at the called party's location (47 CFR
 * 64.1200(c)(1)); Florida 8 a.m. to 8 p.m. (Fla. Stat. 501.616(6)(a)); Oklahoma 8 a.m. to 8 p.m.
 * (Telephone Solicitation Act of 2022); Maryland 8 a.m. to 8 p.m. (Stop the Spam Calls Act of
 * 2023); Connecticut 9 a.m. to 8 p.m. (Conn. Gen. Stat. 42-288a); Texas 9 a.m. to 9 p.m., Sunday
 * noon to 9 p.m. (Tex. Bus. & Com. Code 301.051(b)(2)); Mississippi 8 a.m. to 8 p.m., none on
 * Sunday (Miss. Code 77-3-723(1)); Rhode Island 9 a.m. to 6 p.m. on weekdays, 10 a.m. to 5 p.m.
 * on Saturday, none on Sunday (R.I. Gen. Laws 5-61-3.6 and 5-61-2; its holidays are not encoded).
 */
export const LEGAL_MARKETING_HOURS: MarketingHours = {
  default: { start: at(8), end: at(21) },
  states: {
    FL: { start: at(8), end: at(20) },
    OK: { start: at(8), end: at(20) },
    MD: { start: at(8), end: at(20) },
    CT: { start: at(9), end: at(20) },
    TX: { start: at(9), end: at(21), days: { [SUNDAY]: { start: at(12), end: at(21) } } },
    MS: { start: at(8), end: at(20), days: { [SUNDAY]: null } },
    RI: { start: at(9), end: at(18), days: { [SUNDAY]: null, [SATURDAY]: { start: at(10), end: at(17) } } },
  },
};

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

function readWindow(key: string, text: string): MarketingWindow {
  const match = WINDOW.exec(text);
  if (!match) throw new Error(`${key}: "${text}" is not HH:MM-HH:MM (e.g. 08:00-20:00)`);
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const [from, to] = text.split('-');
  const window = { start: minutes(from ?? ''), end: minutes(to ?? '') };
  if (window.start >= window.end)
    throw new Error(`${key}: ${text} is empty or inverted: give the hours marketing may go in, start before end, e.g. 08:00-20:00`);
  return window;
}

/**
 * The law's window cut to `by`, day by day: what an owner's MARKETING_HOURS entry gives a place.
 * It narrows the law and never widens it (`*=09:00-20:00` keeps Rhode Island's Sundays closed).
 */
function narrowed(legal: MarketingWindow, by: Span): MarketingWindow {
  const cut = (span: Span | null): Span | null => {
    const start = Math.max(span?.start ?? by.end, by.start);
    const end = Math.min(span?.end ?? by.start, by.end);
    return start < end ? { start, end } : null;
  };
  const days = Object.fromEntries(Array.from({ length: 7 }, (_, weekday) => [weekday, cut(spanOn(legal, weekday))]));
  return { ...(cut(legal) ?? by), days };
}

/** The prefix with which MARKETING_HOURS replaces the law's windows instead of narrowing them. */
const REPLACE_LAW = 'replace:';

/**
 * MARKETING_HOURS as the gate reads it: comma-separated `PLACE=HH:MM-HH:MM`, PLACE `*` (every
 * place, the states included), `default` (places without their own) or a US state (FL); each
 * narrows the law's window for that place, day rules included (it can never open hours the law
 * closes), later entries winning over `*`. Prefixed with `replace:`, the entries replace the law's
 * windows instead (an owner whose counsel reads those rules as not binding consented marketing).
 * Empty: the law's windows. An empty or inverted window is refused.
 */
export function readMarketingHours(text: string | undefined): MarketingHours {
  const trimmed = (text ?? '').trim();
  const replacing = trimmed.startsWith(REPLACE_LAW);
  const fit = (legal: MarketingWindow, window: Span): MarketingWindow => (replacing ? window : narrowed(legal, window));
  const entries = (replacing ? trimmed.slice(REPLACE_LAW.length) : trimmed)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [place = '', window = ''] = entry.split('=').map((part) => part.trim());
      const key = place === '*' || place.toLowerCase() === 'default' ? place.toLowerCase() : place.toUpperCase();
      if (key !== '*' && key !== 'default' && !/^[A-Z]{2}$/.test(key))
        throw new Error(`"${entry}": write PLACE=HH:MM-HH:MM, PLACE being *, default or a US state such as FL`);
      return [key, readWindow(key, window)] as const;
    });
  const legal = LEGAL_MARKETING_HOURS;
  const every = entries.find(([key]) => key === '*')?.[1];
  const hours: { default: MarketingWindow; states: Record<string, MarketingWindow> } = every
    ? {
        default: fit(legal.default, every),
        states: Object.fromEntries(Object.entries(legal.states).map(([state, window]) => [state, fit(window, every)])),
      }
    : { default: legal.default, states: { ...legal.states } };
  for (const [key, window] of entries) {
    if (key === 'default') hours.default = fit(legal.default, window);
    else if (key !== '*') hours.states[key] = fit(legal.states[key] ?? legal.default, window);
  }
  return hours;
}

/** Where a window must hold for a number: each zone with the window that applies there. */
interface Place {
  zone: string;
  window: MarketingWindow;
}

/**
 * The places a number's owner may be in: a US number by its area code's state (every zone the
 * state spans, its window or the default); a US number of a non-geographic (8XX, 5XX, 900) or
 * unknown area code anywhere in the US (every zone, under every window: the strictest); elsewhere the country's zones (UTC when not
 * known) under the default window. A caller's zone never enters: a campaign's `timeZone` only
 * places its own quiet hours, checked besides, so it can narrow and never widen.
 */
function placesOf(hours: MarketingHours, e164: string): Place[] {
  // A +1 number libphonenumber-js cannot place (an area code newer than its metadata) is taken as
  // a US number of unknown area code, the strictest, rather than as nowhere (UTC).
  const country = countryOf(e164) ?? (e164.startsWith('+1') ? 'US' : undefined);
  const windowOf = (state: string | undefined) => (state ? hours.states[state] : undefined) ?? hours.default;
  if (country === 'US') {
    const state = stateOfUsNumber(e164);
    const zones = state ? (STATE_ZONES[state] ?? US_ZONES) : US_ZONES;
    const windows = state ? [windowOf(state)] : [hours.default, ...Object.values(hours.states)];
    return zones.flatMap((zone) => windows.map((window) => ({ zone, window })));
  }
  return (zonesOfCountry(country ?? '') ?? ['UTC']).map((zone) => ({ zone, window: hours.default }));
}

/** The hours a window gives on a weekday: its own, unless the day has others (or none). */
const spanOn = (window: MarketingWindow, weekday: number): Span | null => {
  const day = window.days?.[weekday];
  return day === undefined ? window : day;
};

const inside = ({ zone, window }: Place, when: Date): boolean => {
  const { minutes, weekday } = localTime(when, zone);
  const span = window.days ? spanOn(window, weekday) : window;
  return span !== null && minutes >= span.start && minutes < span.end;
};

/** Every local time a window opens at, its days' included. */
const startsOf = (window: MarketingWindow): number[] => [
  ...new Set([window.start, ...Object.values(window.days ?? {}).flatMap((day) => (day ? [day.start] : []))]),
];

const MINUTE = 60_000;

/** Whether marketing may reach a number now, and when not, the window's next opening there (absent when none within a week). */
export type MarketingVerdict = { open: true } | { open: false; retryAt?: Date };

/**
 * Whether `now` is inside the marketing window in every place the number's owner may be, in
 * their local time (47 CFR 64.1200(c)(1): "local time at the called party's location"); when not,
 * the first instant within 8 days at which it is (a window opens at some place's start, or a
 * day's own start, so those are the only candidates).
 */
export function marketingVerdict(hours: MarketingHours, e164: string, now: Date): MarketingVerdict {
  const places = placesOf(hours, e164);
  if (places.every((place) => inside(place, now))) return { open: true };
  const minute = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const candidates = places
    .flatMap(({ zone, window }) =>
      startsOf(window).flatMap((start) => {
        const today = minute + (start - localMinutes(new Date(minute), zone)) * MINUTE;
        // ±1 hour: a day that changes the clocks (the candidate is reckoned from today's offset).
        return Array.from({ length: 9 }, (_, day) => today + (day - 1) * 24 * 60 * MINUTE).flatMap((time) => [
          time - 60 * MINUTE,
          time,
          time + 60 * MINUTE,
        ]);
      }),
    )
    .filter((time) => time > now.getTime())
    .sort((a, b) => a - b);
  const opening = candidates.find((time) => places.every((place) => inside(place, new Date(time))));
  return opening === undefined ? { open: false } : { open: false, retryAt: new Date(opening) };
}
