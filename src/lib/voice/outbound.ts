import type { Settings } from '../config/settings';
import { badRequest } from '../errors/app-error';
import { optionalBoolean, optionalString, requiredPhone, requiredString, type Params } from '../http/params';
import type { CallContent, SendContext } from '../outbound/gate';
import { normalizePhone } from '../phone/e164';
import type { Stores } from '../stores';
import { recordOwnOptOut } from '../consent/change';
import { confirmOptOut } from '../consent/confirmation';
import { say, voiceResponse, voiceUrl, type VoiceResponse } from './twiml';
import { withCallbackRetries } from '../twilio/connection-overrides';

interface CallRequest {
  to: string;
  kind: 'message' | 'reminder';
  text: string;
  machineDetection: boolean;
}

const MAX_TEXT = 1000;

/** `{ to, message }` (say it) or `{ to, reminder }` (say it, then 1 = confirm, 2 = cancel), optional `machineDetection`. */
export function readCallRequest(params: Params, settings: Settings): CallRequest {
  const to = normalizePhone(requiredPhone(params, 'to'), { defaultCountry: settings.defaultCountry }).e164;
  const message = optionalString(params, 'message', { maxLength: MAX_TEXT });
  const reminder = optionalString(params, 'reminder', { maxLength: MAX_TEXT });
  if (Boolean(message) === Boolean(reminder)) throw badRequest('invalid_parameter', 'Give exactly one of "message" or "reminder"');
  return {
    to,
    kind: message ? 'message' : 'reminder',
    text: (message ?? reminder) as string,
    machineDetection: optionalBoolean(params, 'machineDetection') ?? false,
  };
}

const REMINDER_CHOICES = 'Press 1 to confirm, or 2 to cancel. To stop these calls, press 9.';

/** The reminder's question: 1 confirms, 2 cancels, 9 stops these calls; asked again once, then the call ends. */
function reminderPrompt(settings: Settings, text: string | undefined, attempt: number): VoiceResponse {
  const response = voiceResponse();
  const gather = response.gather({
    input: ['dtmf'],
    numDigits: 1,
    timeout: 6,
    action: voiceUrl(settings, '/voice/reminder', { attempt }),
    method: 'POST',
  });
  if (text) say(gather, settings, text);
  say(gather, settings, REMINDER_CHOICES);
  if (attempt === 0) response.redirect({ method: 'POST' }, voiceUrl(settings, '/voice/reminder', { attempt: 1 }));
  else say(response, settings, 'We did not get an answer. Goodbye.');
  return response;
}

/** The TwiML the callee hears: the message, or the reminder's question. Text is escaped by the library. */
function outboundTwiml(settings: Settings, request: CallRequest): VoiceResponse {
  if (request.kind === 'reminder') return reminderPrompt(settings, request.text, 0);
  const response = voiceResponse();
  say(response, settings, request.text);
  response.hangup();
  return response;
}

/** The call to place: what the callee hears, with status callbacks to /voice/status. */
export const outboundCall = (settings: Settings, request: CallRequest): CallContent => ({
  twiml: outboundTwiml(settings, request).toString(),
  statusCallback: withCallbackRetries(voiceUrl(settings, '/voice/status')),
  machineDetection: request.machineDetection,
});

/** Says `text` and hangs up. */
function sayAndHangUp(settings: Settings, text: string): VoiceResponse {
  const response = voiceResponse();
  say(response, settings, text);
  response.hangup();
  return response;
}

/**
 * The reminder's answer: 1 confirmed, 2 canceled (recorded on the call), 9 records a voice
 * opt-out for the callee that /voice/call honours from then on (a new one confirmed by one
 * text, see confirmOptOut); else ask once more.
 */
export async function reminderAnswer(context: SendContext & { params: Params; stores: Stores }): Promise<VoiceResponse> {
  const { params, settings, stores } = context;
  const digits = optionalString(params, 'Digits', { maxLength: 4 });
  const callee = optionalString(params, 'To', { maxLength: 64 }) ?? '';
  if (digits === '9' && callee) {
    const now = new Date();
    // A key press on the call is a reasonable way to revoke consent (47 CFR 64.1200(a)(10)); a new
    // opt-out gets the one text confirming it, a repeated 9 none.
    if (await recordOwnOptOut(stores, 'voice', callee, { source: 'keypad', keyword: '9', now })) {
      await confirmOptOut(context, { channel: 'voice', number: callee, purpose: 'transactional', at: now }, now);
    }
    return sayAndHangUp(settings, 'You will not receive these calls again. Goodbye.');
  }
  const answer = digits === '1' ? 'confirmed' : digits === '2' ? 'canceled' : undefined;
  if (!answer) {
    const attempt = Number(optionalString(params, 'attempt', { maxLength: 2 }) ?? '0');
    if (attempt === 0) return reminderPrompt(settings, undefined, 1);
    return sayAndHangUp(settings, 'We did not get an answer. Goodbye.');
  }
  await stores.calls.recordReminderAnswer(requiredString(params, 'CallSid', { maxLength: 64 }), callee, answer);
  return sayAndHangUp(
    settings,
    answer === 'confirmed' ? 'Thank you, your appointment is confirmed. Goodbye.' : 'Your appointment is canceled. Goodbye.',
  );
}
