import { fallbackParams, readTwimlAnswer } from '../twiml/answer';
import { TwimlError } from '../twiml/messaging';
import { describeNode, isVoiceVerb, readVoiceTwiml } from '../twiml/voice';
import type { XmlElement } from '../twiml/xml';
import type { DeliveryResult } from '../webhooks/dispatcher';
import type { CallEnd, CallStep, FallbackRequest, StepRequest } from './transcript';
import { VERB_HANDLERS } from './verbs';
import { voiceParams, type HttpMethod, type WalkContext } from './walk-context';

/** Verbs plus redirects / action documents one call may execute before the sandbox stops it. */
export const MAX_VERBS_PER_CALL = 100;

export type WalkStart = { url: string; method: HttpMethod; params: Record<string, string> } | { twiml: string };

interface Fetched {
  request: StepRequest;
  verbs: XmlElement[] | null;
  /** The URL the verbs came from (the fallback's when it answered). */
  documentUrl: string;
}

function stepRequest(url: string, method: HttpMethod, params: Record<string, string>, delivery: DeliveryResult): StepRequest {
  return { url, method, params, status: delivery.status };
}

/** Parses an inline TwiML document; records Twilio's error on the transcript when it cannot. */
function parse(ctx: WalkContext, source: string): XmlElement[] | null {
  try {
    return readVoiceTwiml(source);
  } catch (error) {
    if (!(error instanceof TwimlError)) throw error;
    ctx.call.transcript.error = { code: error.code, message: error.message };
    return null;
  }
}

/**
 * Requests a TwiML document, signed. When it cannot be retrieved or executed (a failed request,
 * a 4xx / 5xx, a wrong content type, bad XML) and the call has a fallback URL not used yet, Twilio
 * requests the fallback with the same parameters plus ErrorCode and ErrorUrl and executes its
 * TwiML (https://www.twilio.com/docs/usage/security/availability-reliability); otherwise the
 * error is recorded and the walk stops.
 */
async function fetchTwiml(
  ctx: WalkContext,
  url: string,
  method: HttpMethod,
  params: Record<string, string>,
  { allowFallback = true } = {},
): Promise<Fetched> {
  const delivery = await ctx.deps.dispatcher.deliver({ url, method, params });
  const request = stepRequest(url, method, params, delivery);
  const read = readTwimlAnswer(delivery, readVoiceTwiml);
  if ('document' in read) return { request, verbs: read.document, documentUrl: url };
  const fallback = allowFallback ? ctx.fallback : null;
  if (!fallback) {
    ctx.call.transcript.error = { ...read.failure, url: delivery.url };
    return { request, verbs: null, documentUrl: url };
  }
  ctx.fallback = null;
  const cause = { ...read.failure, url: delivery.url };
  const retryParams = fallbackParams(params, read.failure, delivery.url);
  const second = await ctx.deps.dispatcher.deliver({ url: fallback.url, method: fallback.method, params: retryParams });
  const secondRead = readTwimlAnswer(second, readVoiceTwiml);
  const record: FallbackRequest = { ...stepRequest(fallback.url, fallback.method, retryParams, second), cause };
  ctx.call.transcript.fallback = record;
  if ('document' in secondRead) return { request, verbs: secondRead.document, documentUrl: fallback.url };
  record.errorCode = secondRead.failure.code;
  ctx.call.transcript.error = { ...secondRead.failure, url: second.url };
  return { request, verbs: null, documentUrl: fallback.url };
}

/**
 * Executes a call's TwiML like Twilio: verb by verb, following `action`s and `<Redirect>`s,
 * picking up redirects / hang-ups from Calls updates between verbs, and stopping after
 * MAX_VERBS_PER_CALL. Returns how the call ended; the transcript is on `ctx.call`.
 */
export async function walkTwiml(ctx: WalkContext, start: WalkStart): Promise<CallEnd> {
  const { call } = ctx;
  const transcript = call.transcript;
  let verbs: XmlElement[] | null;
  if ('twiml' in start) {
    ctx.documentUrl = null;
    verbs = parse(ctx, start.twiml);
  } else {
    const fetched = await fetchTwiml(ctx, start.url, start.method, start.params);
    transcript.webhook = fetched.request;
    ctx.documentUrl = fetched.documentUrl;
    verbs = fetched.verbs;
  }
  if (verbs === null) return 'webhook-error';
  if (call.status === 'ringing') ctx.deps.calls.transition(call, 'in-progress');

  let next = 0;
  let executed = 0;
  for (;;) {
    if (call.hangupRequested) return 'hangup';
    if (call.redirect) {
      const redirect = call.redirect;
      call.redirect = null;
      if (++executed > MAX_VERBS_PER_CALL) return loopGuard(ctx);
      if ('twiml' in redirect) {
        ctx.documentUrl = null;
        verbs = parse(ctx, redirect.twiml);
      } else {
        const fetched = await fetchTwiml(ctx, redirect.url, redirect.method, voiceParams(ctx));
        transcript.steps.push({ verb: 'Redirect', attributes: { source: 'api' }, text: redirect.url, request: fetched.request });
        ctx.documentUrl = fetched.documentUrl;
        verbs = fetched.verbs;
      }
      if (verbs === null) return 'webhook-error';
      next = 0;
      continue;
    }
    if (next >= verbs.length) return 'end-of-twiml';
    if (++executed > MAX_VERBS_PER_CALL) return loopGuard(ctx);

    const element = verbs[next];
    next += 1;
    const step: CallStep = describeNode(element);
    transcript.steps.push(step);
    if (!isVoiceVerb(element.name)) {
      transcript.warnings.push(`<${element.name}> is not a Voice TwiML verb the sandbox executes (Twilio warning 12200); skipped`);
      continue;
    }
    ctx.deps.calls.touched(call);
    const result = await VERB_HANDLERS[element.name](step, ctx, element);
    if (result.kind === 'next') continue;
    if (result.kind === 'end') return result.endedBy;
    // After a hang-up the action's TwiML is never executed, so nothing falls back either.
    const fetched = await fetchTwiml(ctx, result.url, result.method, result.params, { allowFallback: result.then !== 'hangup' });
    step.request = fetched.request;
    if (result.then === 'hangup') {
      // The caller is gone: Twilio requests the action but executes none of its TwiML.
      delete transcript.error;
      return 'hangup';
    }
    if (fetched.verbs === null) return 'webhook-error';
    ctx.documentUrl = fetched.documentUrl;
    verbs = fetched.verbs;
    next = 0;
  }
}

function loopGuard(ctx: WalkContext): CallEnd {
  ctx.call.transcript.error = {
    code: 0,
    message: `Stopped after ${MAX_VERBS_PER_CALL} verbs and redirects (sandbox loop guard; Twilio would keep going until the call hits its time limit)`,
  };
  return 'loop-guard';
}
