import { describeError, log } from '../logging/log';
import { maskPhone } from '../logging/redact';
import { hourOf } from '../stores/delivery-stats';
import { clearAndSend, type GateContext } from '../outbound/gate';

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
  try {
    await clearAndSend(
      context,
      { channel: 'sms', to: settings.alertSmsTo, trigger: 'staff', importance: 'essential' },
      { body, track: false },
    );
    return true;
  } catch (error) {
    // Give the hour back so the next failed delivery tries again; the callback itself succeeded.
    await stores.claims.release(claimKey);
    log('error', 'delivery_alert_failed', {
      to: maskPhone(settings.alertSmsTo),
      error: describeError(error),
    });
    return false;
  }
}
