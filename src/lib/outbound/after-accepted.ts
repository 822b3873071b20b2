import { describeError, log } from '../logging/log';

/**
 * Bookkeeping after Twilio accepted a message or a call. Its failure must not turn the send into
 * a reported failure (a caller who retries would reach the person twice): it is logged, and the
 * first status callback of the SID creates the record that is missing.
 */
export async function afterAccepted(sid: string, bookkeeping: () => Promise<unknown>): Promise<void> {
  try {
    await bookkeeping();
  } catch (error) {
    log('warn', 'bookkeeping_failed', { sid, error: describeError(error), repair: 'the first status callback records it' });
  }
}
