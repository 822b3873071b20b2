import { badRequest } from '../http/errors';
import { cancelScheduled, type LifecycleDeps } from './message-lifecycle';
import type { MessageRecord } from './messages';

/**
 * Message update (POST /Messages/{Sid}.json), which Twilio offers for two things only: cancel a
 * scheduled message (`Status=canceled`; anything not `scheduled` → 30409) and redact the body
 * (`Body=""`). Other values are 400 / 20001.
 */
export function updateMessage(message: MessageRecord, form: URLSearchParams, deps: LifecycleDeps): void {
  const status = form.get('Status');
  const body = form.get('Body');
  if (status === null && body === null) throw badRequest(20001, 'Nothing to update: expected Status=canceled or Body=""');
  if (status !== null && status !== 'canceled') throw badRequest(20001, `Invalid Status: ${status} (only 'canceled')`);
  if (body !== null && body !== '') throw badRequest(20001, 'Body can only be updated to an empty string (redaction)');
  if (status === 'canceled') cancelScheduled(message, deps);
  if (body === '') message.body = '';
}
