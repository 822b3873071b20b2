import { AppError } from '../errors/app-error';
import { log, reasonOf } from '../logging/log';
import { readAddress } from '../outbound/address';
import { surelyNotSent } from '../outbound/send-outcome';
import { clearRecipient, rememberScheduled, sendMessage, type GateContext } from '../outbound/gate';
import type { MessageRecord } from '../stores/messages';
import { TRANSIENT_DELIVERY_ERRORS } from './status';
import { repeatable } from '../twilio/request-policy';

/** Twilio schedules 15 minutes to 35 days ahead; one spare minute covers the trip there. */
const FIRST_RETRY_DELAY_MS = 16 * 60_000;

/** When attempt `n` (1, 2, ...) is sent: 16, 32, 64 ... minutes after the failure. */
const retryDelayMs = (attempt: number): number => FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1);

type RetryDecision =
  | { scheduled: true; sid: string; sendAt: string; attempt: number }
  | {
      scheduled: false;
      reason: 'not_failed' | 'permanent_error' | 'no_messaging_service' | 'attempts_exhausted' | 'already_scheduled' | 'outcome_unknown';
    }
  | { scheduled: false; reason: 'refused'; code: string };

/**
 * A transient delivery failure (see the delivery error table) is re-sent later by scheduling it
 * with Twilio (no sleeping Function): the same body (fetched back from Twilio) and media, SendAt
 * doubling per attempt, at most SMS_RETRY_MAX attempts, through the outbound gate (a person who
 * opted out meanwhile gets nothing). A claim per (first SID, attempt) makes sure a repeated
 * callback never schedules the same re-send twice; the re-send is registered so a STOP cancels it.
 */
export async function retryTransientFailure(context: GateContext, record: MessageRecord, now = new Date()): Promise<RetryDecision> {
  const { settings, stores, twilio } = context;
  if (record.status !== 'undelivered' && record.status !== 'failed') return { scheduled: false, reason: 'not_failed' };
  if (record.retriedBy) return { scheduled: false, reason: 'already_scheduled' };
  if (record.errorCode === undefined || !TRANSIENT_DELIVERY_ERRORS.has(record.errorCode))
    return { scheduled: false, reason: 'permanent_error' };
  if (!settings.messagingServiceSid) return { scheduled: false, reason: 'no_messaging_service' };
  const rootSid = record.retryOf?.sid ?? record.sid;
  const attempt = (record.retryOf?.attempt ?? 0) + 1;
  if (attempt > settings.smsRetryMax) return { scheduled: false, reason: 'attempts_exhausted' };
  const claimKey = `sms-retry:${rootSid}:${attempt}`;
  if (!(await stores.claims.claim(claimKey, now))) return { scheduled: false, reason: 'already_scheduled' };

  const { channel, number } = readAddress(record.to);
  let scheduled;
  try {
    const clearance = await clearRecipient(context, { channel, to: number, trigger: 'api', importance: 'essential' }, now);
    // The body stays with Twilio (we keep no message text); media URLs are the ones we were given.
    // Delays count from the failure as Twilio timed it, or from now if the callback came late.
    const { body, dateUpdated } = await repeatable(context.deadline, () => twilio().messages(record.sid).fetch());
    const failedAt = Math.max(now.getTime(), dateUpdated?.getTime() ?? 0);
    const sendAt = new Date(failedAt + retryDelayMs(attempt));
    scheduled = { message: await sendMessage(context, clearance, { body, mediaUrls: record.mediaUrls, sendAt }), sendAt };
  } catch (error) {
    // Twilio may hold the re-send (a 5xx after it arrived): the attempt stays claimed, never scheduled twice.
    if (!surelyNotSent(error)) {
      log('error', 'resend_outcome_unknown', { sid: record.sid, attempt, reason: reasonOf(error) });
      return { scheduled: false, reason: 'outcome_unknown' };
    }
    // Nothing was scheduled: give the attempt back so a repeated callback may try again.
    if (error instanceof AppError && error.status < 500) return { scheduled: false, reason: 'refused', code: error.code };
    throw error;
  }
  // Twilio holds the re-send now, so the claim stays. Registered first, so a STOP can cancel it
  // even if the bookkeeping below fails.
  const { message, sendAt } = scheduled;
  if ((await rememberScheduled(context, channel, number, message.sid, { sendAt })) === 'canceled')
    return { scheduled: false, reason: 'refused', code: 'opted_out' };
  await stores.messages.track(
    { sid: message.sid, to: record.to, status: message.status, mediaUrls: record.mediaUrls, retryOf: { sid: rootSid, attempt } },
    now,
  );
  await stores.messages.markRetried(record.sid, { sid: message.sid, sendAt: sendAt.toISOString() });
  return { scheduled: true, sid: message.sid, sendAt: sendAt.toISOString(), attempt };
}
