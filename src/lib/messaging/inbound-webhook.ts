import { AppError } from '../errors/app-error';
import { isTransientTwilioError } from '../errors/twilio-errors';
import { twiml, type Reply } from '../http/reply';
import { describeError, log } from '../logging/log';
import { defineRoute, replyForError, type FunctionHandler, type Route, type RouteInput } from '../runtime/route';
import { allInOrder } from '../runtime/all-in-order';
import { twilioSdk } from '../twilio/sdk';
import { readInboundMessage, receivedAtOf } from './inbound';
import { answerInbound, openSession } from './inbound-flow';

/**
 * How many times an inbound message is handed back to Twilio to try again. Each attempt is a new
 * webhook request with a Function's whole budget (about 9 s of retrying Sync), so the primary and
 * five more cover an outage of about 50 s.
 */
export const SECOND_CHANCES = 5;

/** Failures that another attempt a few seconds later can cure: Twilio or Sync unavailable or busy, the budget spent. */
function isPassing(error: unknown): boolean {
  return isTransientTwilioError(error) || (error instanceof AppError && error.status === 503);
}

/** A parameter read for logging and counting only: never throws (it runs while answering an error). */
const param = (input: RouteInput, name: string): string | undefined => {
  const value = input.params[name];
  return typeof value === 'string' ? value.slice(0, 64) : undefined;
};

/** The attempt this request is: 0 for the primary webhook, n for the nth second chance (`?attempt=n`, signed by Twilio). */
function attemptOf(input: RouteInput, isFallback: boolean): number {
  const raw = param(input, 'attempt') ?? '';
  const attempt = /^\d{1,2}$/.test(raw) ? Number(raw) : 0;
  return Math.max(attempt, isFallback ? 1 : 0);
}

/**
 * TwiML that sends Twilio, with the same message, to `route` (a path on this service, resolved by
 * Twilio against the current URL), saying which attempt it is and when the message first reached us.
 */
function comeBack(route: string, attempt: number, receivedAt: string): Reply {
  const response = new (twilioSdk().twiml.MessagingResponse)();
  response.redirect({ method: 'POST' }, `${route}?${new URLSearchParams({ attempt: String(attempt), receivedAt }).toString()}`);
  return twiml(response);
}

/** Per request: when its message first reached us (its first attempt's start), and which attempt this is. */
const firstReceived = new WeakMap<RouteInput, string>();
const attempts = new WeakMap<RouteInput, number>();

interface InboundWebhookOptions {
  /** The channel's fallback route (`/sms/fallback`): where a failed attempt sends Twilio back. */
  fallback: string;
  /** True for the fallback route itself (Twilio calls it after the primary failed, with ErrorCode and ErrorUrl). */
  isFallback?: boolean;
}

/**
 * An inbound-message webhook (SMS or WhatsApp) that does not lose what it was told, a STOP above
 * all. Twilio never retries an inbound message; so when the work fails for a passing reason
 * (Sync or Twilio unavailable past the budget), the answer is a TwiML `<Redirect>` to the
 * channel's fallback route: Twilio sends the same message again, signed, as a new request with a
 * new budget, up to SECOND_CHANCES times. A failure no retry cures (a bug, a broken setting)
 * answers 5xx at once, so Twilio calls the number's fallback URL (the same route) and logs it in
 * its Debugger. Replies are TwiML, so a message handled twice never answers twice: only the
 * attempt that succeeds replies.
 */
export function inboundMessageWebhook(route: Route, { fallback, isFallback = false }: InboundWebhookOptions): FunctionHandler {
  const attempted: Route = async (input) => {
    firstReceived.set(input, receivedAtOf(input.params) ?? new Date().toISOString());
    attempts.set(input, attemptOf(input, isFallback));
    const errorCode = param(input, 'ErrorCode');
    if (isFallback && errorCode !== undefined) log('warn', 'inbound_fallback', { errorCode });
    return route(input);
  };
  return defineRoute(attempted, {
    fromTwilio: true,
    answerError: (error, path, input) => {
      if (!input || !isPassing(error)) return replyForError(error, path);
      const attempt = attempts.get(input) ?? attemptOf(input, isFallback);
      const sid = param(input, 'MessageSid');
      if (attempt >= SECOND_CHANCES) {
        log('error', 'inbound_given_up', { path, sid, attempt, error: describeError(error) });
        return replyForError(error, path);
      }
      log('warn', 'inbound_retried', { path, sid, attempt: attempt + 1, error: describeError(error) });
      return comeBack(fallback, attempt + 1, firstReceived.get(input) ?? new Date().toISOString());
    },
  });
}

/** Whether this request is a second chance (a fallback or a redirected attempt), not the first try. */
const secondChance = (input: RouteInput) => ({ secondChance: (attempts.get(input) ?? 0) > 0 });

/** /sms/incoming and /sms/fallback: the one inbound flow for an SMS. */
export const answerSms: Route = async (input) => twiml(await answerInbound(input, readInboundMessage(input.params), secondChance(input)));

/**
 * /whatsapp/incoming and /whatsapp/fallback: every message opens or renews the user's 24-hour
 * window, beside (not before) the inbound flow, so a failed window write never loses a STOP.
 */
export const answerWhatsApp: Route = async (input) => {
  const message = readInboundMessage(input.params);
  const [answer] = await allInOrder([answerInbound(input, message, secondChance(input)), openSession(input.stores, message)]);
  return twiml(answer);
};
