import { badRequest } from '../http/errors';

/**
 * Message Scheduling (https://www.twilio.com/docs/messaging/features/message-scheduling):
 * `ScheduleType=fixed` + `SendAt` (ISO 8601) on a message sent through a Messaging Service,
 * between 15 minutes and 35 days ahead, both inclusive. Errors, from Twilio's error pages:
 * 35126 ScheduleType other than `fixed`; 35111 SendAt missing; 35118 no MessagingServiceSid;
 * 35114 SendAt malformed or less than 900 s ahead; 35115 SendAt more than 35 days ahead
 * (Twilio documents 35114 and 35115 with the same text; the sandbox uses one for each bound).
 * Twilio's current English error pages (https://www.twilio.com/docs/api/errors/35114, /35115)
 * say 300 s to 35 days; the feature page still says 15 minutes: the sandbox keeps the stricter.
 */
const MIN_SCHEDULE_AHEAD_MS = 900 * 1000;
const MAX_SCHEDULE_AHEAD_MS = 35 * 24 * 60 * 60 * 1000;

/** ISO 8601 date-time with a zone (`Z` or `±hh:mm`), as twilio-node serializes `sendAt`. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const WINDOW = 'SendAt time must be between 900 seconds and 35 days (3024000 seconds) in the future, inclusive.';

/**
 * The instant a create request schedules its message for (epoch ms), or `null` for an immediate
 * send. `SendAt` without `ScheduleType` is ignored, as Twilio needs both.
 */
export function readSchedule(form: URLSearchParams, messagingServiceSid: string | null, now: number): number | null {
  const scheduleType = form.get('ScheduleType');
  if (scheduleType === null || scheduleType === '') return null;
  if (scheduleType !== 'fixed') throw badRequest(35126, `The ScheduleType value ${scheduleType} is not supported (only 'fixed')`);
  const raw = form.get('SendAt')?.trim() ?? '';
  if (raw === '') throw badRequest(35111, "SendAt timestamp is missing: you must indicate SendAt if ScheduleType is 'fixed'");
  if (!messagingServiceSid) throw badRequest(35118, 'MessagingServiceSid is required to schedule a message');
  const sendAt = ISO_DATE_TIME.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(sendAt)) throw badRequest(35114, `Scheduling does not support this timestamp: ${raw}. ${WINDOW}`);
  const ahead = sendAt - now;
  if (ahead < MIN_SCHEDULE_AHEAD_MS) throw badRequest(35114, `Scheduling does not support this timestamp: ${raw}. ${WINDOW}`);
  if (ahead > MAX_SCHEDULE_AHEAD_MS) throw badRequest(35115, `Scheduling does not support this timestamp: ${raw}. ${WINDOW}`);
  return sendAt;
}
