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
 * Reads `DateSent` (on that day), `DateSent<` (on or before) and `DateSent>` (on or after),
 * which is how twilio-node sends dateSent / dateSentBefore / dateSentAfter.
 */
export function readDateSentFilter(query: URLSearchParams): Pick<MessageFilter, 'sentFrom' | 'sentUntil'> {
  const filter: Pick<MessageFilter, 'sentFrom' | 'sentUntil'> = {};
  const on = query.get('DateSent');
  const before = query.get('DateSent<');
  const after = query.get('DateSent>');
  if (on) Object.assign(filter, { sentFrom: range('DateSent', on).from, sentUntil: range('DateSent', on).until });
  if (before) filter.sentUntil = Math.min(filter.sentUntil ?? Infinity, range('DateSent<', before).until);
  if (after) filter.sentFrom = Math.max(filter.sentFrom ?? -Infinity, range('DateSent>', after).from);
  return filter;
}
