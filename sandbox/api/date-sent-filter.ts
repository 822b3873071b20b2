import { badRequest } from '../http/errors';
import type { MessageFilter } from './messages';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The inclusive range [from, until] of one DateSent value: a whole UTC day for `YYYY-MM-DD`,
 * a single second for a date-time (Twilio's dates have one-second resolution).
 */
function range(name: string, raw: string): { from: number; until: number } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const from = Date.parse(`${raw}T00:00:00Z`);
    if (Number.isNaN(from)) throw badRequest(20001, `Invalid ${name}: ${raw}`);
    return { from, until: from + DAY_MS - 1 };
  }
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw badRequest(20001, `Invalid ${name}: ${raw}`);
  const second = Math.floor(at / 1000) * 1000;
  return { from: second, until: second + 999 };
}

/**
 * Reads a date filter of the 2010 API: `<name>` (on that day or second), `<name><` (on or before)
 * and `<name>>` (on or after), as the spec lists them for DateSent (Messages) and DateCreated
 * (Recordings, Media). Answers inclusive epoch-ms bounds, each absent when not asked for.
 */
export function readDateFilter(query: URLSearchParams, name: string): { from?: number; until?: number } {
  const filter: { from?: number; until?: number } = {};
  const on = query.get(name);
  const before = query.get(`${name}<`);
  const after = query.get(`${name}>`);
  if (on) Object.assign(filter, range(name, on));
  if (before) filter.until = Math.min(filter.until ?? Infinity, range(`${name}<`, before).until);
  if (after) filter.from = Math.max(filter.from ?? -Infinity, range(`${name}>`, after).from);
  return filter;
}

/** Whether `at` (epoch ms) lies within a filter read by `readDateFilter`. */
export const withinDates = (at: number, { from, until }: { from?: number; until?: number }): boolean =>
  (from === undefined || at >= from) && (until === undefined || at <= until);

/**
 * Reads `DateSent` (on that day), `DateSent<` (on or before) and `DateSent>` (on or after),
 * which is how twilio-node sends dateSent / dateSentBefore / dateSentAfter.
 */
export function readDateSentFilter(query: URLSearchParams): Pick<MessageFilter, 'sentFrom' | 'sentUntil'> {
  const { from, until } = readDateFilter(query, 'DateSent');
  return { ...(from === undefined ? {} : { sentFrom: from }), ...(until === undefined ? {} : { sentUntil: until }) };
}
