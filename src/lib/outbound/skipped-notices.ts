// Staff notices an outsider causes (forwards to FORWARD_TO, voicemail notices) spend from the spend
// ceiling, PAID_ACTIONS_PER_HOUR: a stranger texting the number 1,000 times must not buy 1,000
// forwards. Once the ceiling is spent such a notice is skipped, never what it tells of (the message
// stays in the inbox, the voicemail in /voice/voicemails): each skip is counted in the hour's
// delivery counters (GET /sms/stats) and ALERT_SMS_TO is told once per hour.
import { describeError, log } from '../logging/log';
import { hourOf } from '../stores/delivery-stats';
import type { GateContext } from './gate';
import { sendAlertOrGiveBack } from './staff-alert';

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
  const claimed = await stores.claims.claim(claimKey, now).catch((error: unknown) => {
    log('error', 'ceiling_alert_not_claimed', { error: describeError(error) });
    return undefined;
  });
  // Another instance has the hour's alert.
  if (claimed === false) return;
  const sent = claimed === true && (await sendAlertOrGiveBack(context, settings.alertSmsTo, ceilingAlert(settings, hour), claimKey));
  // Looked at again on a later skip when the claim or the text failed.
  if (!sent) alertedHere.delete(alertKey);
}

/** The operator's text: staff chose the number and nobody outside can repeat it (one per hour), so it is outside the ceiling. */
const ceilingAlert = (settings: GateContext['settings'], hour: string): string =>
  `Spend ceiling reached: PAID_ACTIONS_PER_HOUR (${settings.paidActionsPerHour}) is spent for ${hour.slice(11)}:00 UTC. ` +
  'Forwards and voicemail notices are skipped until the hour turns; every message and voicemail is kept (GET /sms/inbox?sid=, GET /voice/voicemails).';
