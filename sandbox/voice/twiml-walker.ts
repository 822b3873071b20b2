import { TwimlError } from '../twiml/messaging';
import { describeNode, isVoiceVerb, readVoiceTwiml } from '../twiml/voice';
import type { XmlElement } from '../twiml/xml';
import type { DeliveryResult } from '../webhooks/dispatcher';
import type { CallEnd, CallStep, StepRequest } from './transcript';
import { VERB_HANDLERS } from './verbs';
import { voiceParams, type HttpMethod, type WalkContext } from './walk-context';

/** Verbs plus redirects / action documents one call may execute before the sandbox stops it. */
export const MAX_VERBS_PER_CALL = 100;

export type WalkStart = { url: string; method: HttpMethod; params: Record<string, string> } | { twiml: string };

interface Fetched {
  request: StepRequest;
  verbs: XmlElement[] | null;
}

function isSuccess(delivery: DeliveryResult): boolean {
  return delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
}

/** Parses a TwiML answer; records Twilio's error on the transcript when it cannot. */
function parse(ctx: WalkContext, source: string, url?: string): XmlElement[] | null {
  try {
    return readVoiceTwiml(source);
  } catch (error) {
    if (!(error instanceof TwimlError)) throw error;
    ctx.call.transcript.error = { code: error.code, message: error.message, ...(url ? { url } : {}) };
    return null;
  }
}

/** Requests a TwiML document, signed; non-2xx, a wrong content type or bad XML stop the walk. */
async function fetchTwiml(ctx: WalkContext, url: string, method: HttpMethod, params: Record<string, string>): Promise<Fetched> {
  const delivery = await ctx.deps.dispatcher.deliver({ url, method, params });
  const request: StepRequest = { url, method, params, status: delivery.status };
  const transcript = ctx.call.transcript;
  if (!isSuccess(delivery)) {
    // Twilio logs 11200 (HTTP retrieval failure) and plays "an application error has occurred".
    transcript.error = { code: 11200, message: delivery.error ?? `HTTP retrieval failure: status ${String(delivery.status)}`, url };
    return { request, verbs: null };
  }
  if (delivery.contentType && !/xml|html/i.test(delivery.contentType)) {
    transcript.error = { code: 12300, message: `Invalid Content-Type: ${delivery.contentType}`, url };
    return { request, verbs: null };
  }
  return { request, verbs: parse(ctx, delivery.body, url) };
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
    ctx.documentUrl = start.url;
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
        ctx.documentUrl = redirect.url;
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
    const fetched = await fetchTwiml(ctx, result.url, result.method, result.params);
    step.request = fetched.request;
    if (result.then === 'hangup') {
      // The caller is gone: Twilio requests the action but executes none of its TwiML.
      delete transcript.error;
      return 'hangup';
    }
    if (fetched.verbs === null) return 'webhook-error';
    ctx.documentUrl = result.url;
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
