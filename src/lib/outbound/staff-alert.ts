// The alerts the service texts its operators (ALERT_SMS_TO), each under a claim so that one Function
// instance sends it: when the text fails, the claim is given back and a later call tries again.
import { describeError, log } from '../logging/log';
import { maskPhone } from '../logging/redact';
import { clearAndSend, type GateContext } from './gate';

/**
 * Texts `body` to `to` as an operator alert (staff chose the number; essential, untracked); when
 * that fails, gives `claimKey` back so a later call tries again. Never throws: the work that
 * raised the alert (a status callback, a skipped notice) stands. Says whether it was sent.
 */
export async function sendAlertOrGiveBack(context: GateContext, to: string, body: string, claimKey: string): Promise<boolean> {
  try {
    await clearAndSend(context, { channel: 'sms', to, trigger: 'staff', importance: 'essential' }, { body, track: false });
    return true;
  } catch (error) {
    await context.stores.claims.release(claimKey).catch(() => undefined);
    log('error', 'staff_alert_failed', { to: maskPhone(to), claim: claimKey.split(':')[0], error: describeError(error) });
    return false;
  }
}
