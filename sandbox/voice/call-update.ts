import { badRequest } from '../http/errors';
import { isFinal, type CallRecord, type CallStore } from './calls';

/**
 * A Calls update (https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource):
 * `Url` (+ Method) or `Twiml` redirects a live call before its next verb (a queued / ringing
 * call runs it when answered); `Status=canceled` ends a queued or ringing call (no effect once in
 * progress); `Status=completed` hangs up an in-progress call (and cancels a queued / ringing one).
 * Redirecting a call that has ended → 400 / 21220. `StatusCallback` / `StatusCallbackMethod`
 * replace the call's callback URL.
 */
export function updateCall(call: CallRecord, form: URLSearchParams, calls: CallStore): void {
  const status = form.get('Status') ?? '';
  const url = form.get('Url') ?? '';
  const twiml = form.get('Twiml') ?? '';
  if (status !== '' && status !== 'canceled' && status !== 'completed')
    throw badRequest(20001, `Invalid Status: ${status} (canceled or completed)`);
  if ((url !== '' || twiml !== '') && isFinal(call.status)) throw badRequest(21220, 'Call is not in-progress. Cannot redirect.');

  if (url !== '') {
    const method = (form.get('Method') ?? 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST';
    call.redirect = { url, method };
  } else if (twiml !== '') {
    call.redirect = { twiml };
  }
  const callbackUrl = form.get('StatusCallback');
  if (callbackUrl) {
    const method = (form.get('StatusCallbackMethod') ?? call.statusCallback?.method ?? 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST';
    call.statusCallback = { url: callbackUrl, method, events: call.statusCallback?.events ?? new Set(['completed']) };
  }

  if (status === '' || isFinal(call.status)) return;
  if (call.status === 'queued' || call.status === 'ringing') {
    calls.transition(call, 'canceled');
  } else if (status === 'completed') {
    call.hangupRequested = true;
  }
}
