import { outcomeOf } from '../stores/delivery-stats';
import type { MessageRecord } from '../stores/messages';
import type { Stores } from '../stores';

/**
 * Counts a message's outcome exactly once, by its first outcome, however often and in whatever
 * order its callbacks arrive: a claim per message decides. If counting fails, the claim is given
 * back and the error goes up, so Twilio's retry of the callback counts it then.
 */
export async function countOutcomeOnce(stores: Stores, record: MessageRecord, campaign?: string): Promise<boolean> {
  const outcome = outcomeOf(record.status);
  if (!outcome) return false;
  const claimKey = `counted:${record.sid}`;
  if (!(await stores.claims.claim(claimKey))) return false;
  try {
    // A campaign's message also counts in its campaign's delivery figures.
    await Promise.all([stores.deliveryStats.count(outcome), campaign ? stores.campaigns.stats.increment(campaign, outcome) : undefined]);
    return true;
  } catch (error) {
    await stores.claims.release(claimKey);
    throw error;
  }
}

export const isFailed = (record: MessageRecord): boolean => record.status === 'undelivered' || record.status === 'failed';
