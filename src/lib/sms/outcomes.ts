import { allInOrder } from '../runtime/all-in-order';
import { outcomeOf } from '../stores/delivery-stats';
import { knownFrom } from '../stores/known-write';
import type { MessageRecord } from '../stores/messages';
import type { Stores } from '../stores';
import type { StatusCallback } from './status-callback';
import { leftQueue } from './status';

/**
 * A status callback's bookkeeping in three round trips: the message's record is read while the
 * claim that counts its outcome is taken and the counters are read; the record is written; then
 * the counters, in one write: the outcome (counted exactly once per message, by whichever callback
 * claims it first, as the record stands after this callback), its error code, the funnel steps
 * (queued, sent) this callback's write was the first to set, and `settled:<sent hour>`. However
 * often and in whatever order callbacks arrive. If counting fails (or the record shows no outcome
 * after all), the claim is given back, and a failure goes up so that Twilio's retry counts the
 * outcome then (a funnel step whose count failed stays uncounted: a count is lost, never doubled).
 */
export async function recordStatusCountingOnce(stores: Stores, callback: StatusCallback, now = new Date()): Promise<MessageRecord> {
  const claimKey = `counted:${callback.sid}`;
  const mayCount = outcomeOf(callback.status) !== undefined;
  const claiming = mayCount ? stores.claims.claim(claimKey, now) : Promise.resolve(false);
  const giveBack = async () => {
    if (await claiming.catch(() => false)) await stores.claims.release(claimKey);
  };
  const { campaign } = callback;
  let read;
  try {
    read = await allInOrder([
      stores.messages.read(callback.sid),
      claiming,
      // The counters are read beside the claim (a wasted read for a repeated callback, a round trip saved for the first).
      leftQueue(callback.status) ? stores.deliveryStats.prepare(now) : undefined,
      // A campaign's message also counts in its campaign's delivery figures.
      mayCount && campaign ? stores.campaigns.stats.prepare(campaign) : undefined,
    ]);
  } catch (error) {
    await giveBack();
    throw error;
  }
  const [current, claimed, delivery, campaignStats] = read;
  let written;
  try {
    written = await stores.messages.recordStatus(callback.sid, callback.to, callback.status, callback.errorCode, now, knownFrom(current));
  } catch (error) {
    await giveBack();
    throw error;
  }
  const { record, reached } = written;
  const outcome = claimed ? outcomeOf(record.status) : undefined;
  if (claimed && !outcome) await giveBack();
  if (!delivery || (!outcome && reached.length === 0)) return record;
  try {
    await allInOrder([
      delivery.count({ outcome, errorCode: record.errorCode, steps: reached, sentHour: record.steps?.sent }),
      outcome ? campaignStats?.add({ [outcome]: 1 }) : undefined,
    ]);
  } catch (error) {
    if (outcome) await giveBack();
    throw error;
  }
  return record;
}

export const isFailed = (record: MessageRecord): boolean => record.status === 'undelivered' || record.status === 'failed';
