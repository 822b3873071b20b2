// Staff notices an outsider causes (forwards to FORWARD_TO, voicemail notices) spend from the spend
// ceiling, PAID_ACTIONS_PER_HOUR: a stranger texting the number 1,000 times must not buy 1,000
// forwards. Once the ceiling is spent such a notice is skipped, never what it tells of (the message
// stays in the inbox, the voicemail in /voice/voicemails): each skip is counted in the hour's
// delivery counters (GET /sms/stats) and ALERT_SMS_TO is told once per hour.
import { describeError, log } from '../logging/log';
import { maskPhone } from '../logging/redact';
import { hourOf } from '../stores/delivery-stats';
import { clearAndSend, type GateContext } from './gate';

/** The staff notices an outsider causes. */
export type StaffNotice = 'forward' | 'voicemail-notice';

/** The hours this container has told ALERT_SMS_TO of (per account, Sync service and sandbox), so it claims each once. */
const alertedHere = new Set<string>();
const MAX_ALERTED = 64;

/**
 * A notice skipped for the spend ceiling: logged, counted (`skipped:<notice>` in the hour's
 * delivery counters, one write), and ALERT_SMS_TO told once per clock hour, whichever instance
 * claims the hour first. Never throws: the inbound message or voicemail is handled whatever this does.
 */
export async function noteSkippedNotice(context: GateContext, notice: StaffNotice, now = new Date()): Promise<void> {
  const { settings, stores } = context;
  log('warn', 'staff_notice_skipped', { notice, reason: 'budget_exhausted' });
  await stores.deliveryStats
    .countSkipped(notice, now)
    .catch((error: unknown) => log('error', 'skipped_notice_not_counted', { notice, error: describeError(error) }));
  if (!settings.alertSmsTo) return;
  const hour = hourOf(now);
  const alertKey = [settings.accountSid, settings.syncServiceSid, settings.sandboxUrl, hour].join('|');
  if (alertedHere.has(alertKey)) return;
  if (alertedHere.size >= MAX_ALERTED) alertedHere.clear();
  alertedHere.add(alertKey);
  const claimKey = `ceiling-alert:${hour}`;
  try {
    if (!(await stores.claims.claim(claimKey, now))) return;
    const body =
      `Spend ceiling reached: PAID_ACTIONS_PER_HOUR (${settings.paidActionsPerHour}) is spent for ${hour.slice(11)}:00 UTC. ` +
      'Forwards and voicemail notices are skipped until the hour turns; every message and voicemail is kept (GET /sms/inbox?sid=, GET /voice/voicemails).';
    // Staff chose this recipient and nobody outside can repeat it (one per hour): outside the ceiling.
    await clearAndSend(
      context,
      { channel: 'sms', to: settings.alertSmsTo, trigger: 'staff', importance: 'essential' },
      { body, track: false },
    );
  } catch (error) {
    alertedHere.delete(alertKey);
    await stores.claims.release(claimKey).catch(() => undefined);
    log('error', 'ceiling_alert_failed', { to: maskPhone(settings.alertSmsTo), error: describeError(error) });
  }
}
