import { allInOrder } from '../runtime/all-in-order';
import { outcomeOf, type Outcome } from '../stores/delivery-stats';
import { knownFrom } from '../stores/known-write';
import { withStatus, type MessageRecord } from '../stores/messages';
import type { Stores } from '../stores';
import type { StatusCallback } from './status-callback';

/**
 * A status callback's bookkeeping in two round trips: the message's record is read while the
 * claim that counts its outcome is taken and the counters are read; then the record and the
 * counters are written side by side. The outcome is counted exactly once per message, by
 * whichever callback claims it first, as the record will stand after this callback; however often
 * and in whatever order callbacks arrive. If counting fails (or the record shows no outcome after
 * all), the claim is given back, and a failure goes up so that Twilio's retry counts it then.
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
      mayCount ? stores.deliveryStats.prepare(now) : undefined,
      // A campaign's message also counts in its campaign's delivery figures.
      mayCount && campaign ? stores.campaigns.stats.prepare(campaign) : undefined,
    ]);
  } catch (error) {
    await giveBack();
    throw error;
  }
  const [current, claimed, delivery, campaignStats] = read;
  const expected = withStatus(current?.data, callback, now) ?? current?.data;
  const outcome = expected && outcomeOf(expected.status);
  const count = async (counted: Outcome | undefined) => {
    if (!claimed || !delivery) return;
    if (!counted) return giveBack();
    try {
      await allInOrder([delivery.count(counted, expected?.errorCode), campaignStats?.add({ [counted]: 1 })]);
    } catch (error) {
      await giveBack();
      throw error;
    }
  };
  const [record] = await allInOrder([
    stores.messages.recordStatus(callback.sid, callback.to, callback.status, callback.errorCode, now, knownFrom(current)),
    count(outcome),
  ]);
  return record;
}

export const isFailed = (record: MessageRecord): boolean => record.status === 'undelivered' || record.status === 'failed';
