import { describeError, log } from '../logging/log';
import { hourOf } from '../stores/delivery-stats';
import type { GateContext } from '../outbound/gate';
import { sendAlertOrGiveBack } from '../outbound/staff-alert';
import { latestWaitedHour, readHoursSince, silentFilteringOf } from './silent-filtering';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/**
 * After a failed delivery: when the last hour's delivery rate is under DELIVERY_ALERT_RATE over
 * at least DELIVERY_ALERT_MIN messages, text ALERT_SMS_TO, once per clock hour whichever
 * Function instance notices first. Returns whether this call sent the alert.
 */
export async function alertOnLowDeliveryRate(context: GateContext, now = new Date()): Promise<boolean> {
  const { settings, stores } = context;
  if (!settings.alertSmsTo) return false;
  const claimKey = `delivery-alert:${hourOf(now)}`;
  if (await stores.claims.isClaimed(claimKey)) return false;
  const lastHour = await stores.deliveryStats.recentRate(now);
  if (lastHour.total < settings.deliveryAlertMin || (lastHour.deliveryRate ?? 1) >= settings.deliveryAlertRate) return false;
  if (!(await stores.claims.claim(claimKey, now))) return false;
  const body =
    `Delivery alert: ${percent(lastHour.deliveryRate ?? 0)} of ${lastHour.total} messages delivered in the last hour ` +
    `(${lastHour.undelivered} undelivered, ${lastHour.failed} failed), below ${percent(settings.deliveryAlertRate)}.`;
  return sendAlertOrGiveBack(context, settings.alertSmsTo, body, claimKey);
}

/** The hours this container has checked for silent filtering (per account, Sync service and sandbox), so it checks each once. */
const checkedHere = new Set<string>();
const MAX_CHECKED = 64;

/**
 * On any status callback: when the latest hour whose SILENT_FILTERING_MINUTES are over shows
 * fewer than DELIVERY_ALERT_RATE of its sent messages with an outcome, over at least
 * DELIVERY_ALERT_MIN, text ALERT_SMS_TO. Each container looks once per hour (no Sync request
 * after that), and of those the one that takes the hour's claim reads the counters of that hour
 * and the hours since (3 hours by default): no scan, whatever the number of messages.
 * Returns whether this call sent the alert.
 */
export async function alertOnSilentFiltering(context: GateContext, now = new Date()): Promise<boolean> {
  const { settings, stores } = context;
  if (!settings.alertSmsTo) return false;
  const hour = latestWaitedHour(settings.silentFilteringMinutes, now);
  const checkKey = [settings.accountSid, settings.syncServiceSid, settings.sandboxUrl, hour].join('|');
  if (checkedHere.has(checkKey)) return false;
  if (checkedHere.size >= MAX_CHECKED) checkedHere.clear();
  checkedHere.add(checkKey);
  const claimKey = `silent-alert:${hour}`;
  let claimed = false;
  let silent;
  try {
    claimed = await stores.claims.claim(claimKey, now);
    if (!claimed) return false;
    silent = silentFilteringOf(await readHoursSince(stores.deliveryStats, hour, now), settings.silentFilteringMinutes, now);
  } catch (error) {
    // Looked at again on a later callback; this callback's own bookkeeping is done and stands.
    checkedHere.delete(checkKey);
    if (claimed) await stores.claims.release(claimKey).catch(() => undefined);
    log('error', 'silent_filtering_check_failed', { error: describeError(error) });
    return false;
  }
  const receiptRate = silent.sent === 0 ? 1 : silent.settled / silent.sent;
  if (silent.sent < settings.deliveryAlertMin || receiptRate >= settings.deliveryAlertRate) return false;
  const body =
    `Silent filtering alert: ${silent.awaiting} of ${silent.sent} messages sent ${hour.slice(11)}:00-${hour.slice(11)}:59 UTC ` +
    `have no delivery receipt after ${silent.thresholdMinutes} minutes (${percent(receiptRate)} got one, below ${percent(settings.deliveryAlertRate)}).`;
  const sent = await sendAlertOrGiveBack(context, settings.alertSmsTo, body, claimKey);
  if (!sent) checkedHere.delete(checkKey);
  return sent;
}
