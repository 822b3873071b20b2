import { countryOf } from '../outbound/geography';
import { localMinutes, SINGLE_ZONE, ZONE_SPAN } from '../outbound/zones';

/** Local hours no marketing message is sent in, e.g. 21:00 to 08:00, with the sender's time zone. */
export interface QuietHours {
  /** Minutes after midnight. */
  start: number;
  end: number;
  /** The sender's IANA zone, used when the recipient's own zone is not known from the number. */
  timeZone?: string;
}

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
