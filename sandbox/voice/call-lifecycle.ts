import type { PhoneNumberStore } from '../api/incoming-phone-numbers';
import { ControlError } from '../control/errors';
import { rfc2822 } from '../dates';
import { detectAnsweredBy, type CalleeBehaviour, type CalleeBook } from './callee';
import type { CallEvent, CallRecord, CallStatus } from './calls';
import { callRecordingEvent } from './call-recordings';
import type { CallScript } from './script';
import type { CallEnd, CallTranscript } from './transcript';
import { walkTwiml, type WalkStart } from './twiml-walker';
import { voiceParams, type HttpMethod, type VoiceDeps, type WalkContext } from './walk-context';

/** What a finished walk leaves as the call's final status. */
function finalStatus(endedBy: CallEnd, rejectReason: string | undefined): CallStatus {
  switch (endedBy) {
    case 'reject':
      return rejectReason === 'busy' ? 'busy' : 'no-answer';
    case 'busy':
      return 'busy';
    case 'no-answer':
      return 'no-answer';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'canceled';
    default:
      return 'completed';
  }
}

/**
 * POSTs one call status callback if the call asked for `event` (Twilio sends only the requested
 * events; `completed` when none were named): the Voice parameters plus CallbackSource,
 * Timestamp, SequenceNumber, and CallDuration on `completed`
 * (https://www.twilio.com/docs/voice/api/call-resource#statuscallback).
 */
async function announce(ctx: WalkContext, event: CallEvent, status: string): Promise<void> {
  const config = ctx.call.statusCallback;
  if (!config || !config.events.has(event)) return;
  const params: Record<string, string> = {
    ...voiceParams(ctx, status),
    CallbackSource: 'call-progress-events',
    Timestamp: rfc2822(ctx.deps.clock.now()),
    SequenceNumber: String(ctx.call.nextSequence++),
  };
  if (event === 'completed') {
    params.CallDuration = String(ctx.call.startTime === null ? 0 : ctx.call.seconds);
    params.Duration = String(Math.ceil((ctx.call.startTime === null ? 0 : ctx.call.seconds) / 60));
  }
  await ctx.deps.dispatcher.deliver({ url: config.url, method: config.method, params });
}

/** Ends a call: its final status, open REST recordings completed, the `completed` callback. */
async function finish(ctx: WalkContext, endedBy: CallEnd, rejectReason?: string): Promise<void> {
  const { call, deps } = ctx;
  call.transcript.endedBy = endedBy;
  for (const recording of deps.recordings.list(call.sid)) {
    if (recording.status === 'in-progress' || recording.status === 'paused' || recording.status === 'stopped') {
      deps.recordings.transition(recording, 'completed', call.seconds);
      callRecordingEvent(ctx, recording);
    }
  }
  deps.calls.transition(call, finalStatus(endedBy, rejectReason));
  await announce(ctx, 'completed', call.status);
}

function rejectReasonOf(call: CallRecord): string | undefined {
  const last = call.transcript.steps[call.transcript.steps.length - 1];
  return last?.verb === 'Reject' ? last.attributes.reason : undefined;
}

export interface InboundCall {
  from: string;
  to: string;
}

/** A call the phone placed: its record at once, its transcript when it has ended. */
export interface PlacedCall {
  call: CallRecord;
  ended: Promise<CallTranscript>;
}

/**
 * Plays a phone calling one of the account's numbers: the number's VoiceUrl gets Twilio's
 * incoming-call parameters (CallStatus `ringing`), signed, and the TwiML is walked to the end,
 * with the script's inputs or, when `live`, a person answering each Gather and Record (see
 * live-phone). The number's StatusCallback gets the `completed` callback (Twilio sends the
 * number's status callback when the call ends). Unknown number / no VoiceUrl throw at once.
 */
export function placeInboundCall(
  input: InboundCall,
  script: CallScript,
  deps: VoiceDeps & { phoneNumbers: PhoneNumberStore },
  live = false,
): PlacedCall {
  const number = deps.phoneNumbers.byPhoneNumber(input.to);
  if (!number) throw new ControlError(404, 'unknown_number', `${input.to} is not a phone number of this account`);
  if (!number.voiceUrl)
    throw new ControlError(409, 'no_voice_url', `${input.to} has no VoiceUrl configured (update the IncomingPhoneNumber first)`);
  const voiceUrl = number.voiceUrl;
  const call = deps.calls.add({
    direction: 'inbound',
    to: input.to,
    from: input.from,
    phoneNumberSid: number.sid,
    status: 'ringing',
    statusCallback: number.statusCallback
      ? { url: number.statusCallback, method: number.statusCallbackMethod, events: new Set(['completed']) }
      : null,
  });
  const ctx: WalkContext = {
    call,
    script,
    deps,
    documentUrl: null,
    extraParams: {},
    fallback: number.voiceFallbackUrl ? { url: number.voiceFallbackUrl, method: number.voiceFallbackMethod } : null,
    ...(live ? { live: deps.livePhones.open(call.sid) } : {}),
  };
  const ended = (async () => {
    try {
      const endedBy = await walkTwiml(ctx, { url: voiceUrl, method: number.voiceMethod, params: voiceParams(ctx) });
      await finish(ctx, endedBy, rejectReasonOf(call));
      return call.transcript;
    } finally {
      if (live) deps.livePhones.close(call.sid);
    }
  })();
  return { call, ended };
}

export interface OutboundStart {
  start: WalkStart | { url: string; method: HttpMethod };
  machineDetection: 'Enable' | 'DetectMessageEnd' | null;
  /** Calls create `FallbackUrl` / `FallbackMethod`: requested when the call's TwiML cannot be retrieved or executed. */
  fallback?: { url: string; method: HttpMethod } | null;
  /** How long it may ring (Calls create `Timeout`); a live callee who does not pick up by then is no-answer. */
  timeoutSeconds?: number;
}

/**
 * How the callee picks up: the scripted outcome after `ringMs`, or, for a live (console) callee,
 * what the person chooses while it rings (a REST cancel or the Timeout ends the ringing).
 */
async function ringOutcome(ctx: WalkContext, callee: CalleeBehaviour, timeoutSeconds: number): Promise<CalleeBehaviour['outcome']> {
  const { call, deps, live } = ctx;
  if (!live) {
    await deps.tasks.sleep(Math.max(deps.delayMs, callee.ringMs));
    return callee.outcome;
  }
  const watch = setInterval(() => {
    if (call.status === 'canceled' || call.hangupRequested) live.hangUp();
  }, 50);
  try {
    const answer = await live.ask('ring', {}, -1, { kind: 'ring', outcome: 'no-answer' }, timeoutSeconds * 1000);
    // Declining a ringing call (hanging up) is what a busy signal reports.
    return answer.kind === 'ring' ? answer.outcome : 'busy';
  } finally {
    clearInterval(watch);
  }
}

/**
 * Runs an outbound call (Calls create) in the background: queued → initiated → ringing → the
 * callee's outcome (busy / no-answer / failed end it), or answered → the TwiML is walked →
 * completed, with a status callback for each requested event.
 */
export function startOutboundCall(call: CallRecord, options: OutboundStart, callees: CalleeBook, deps: VoiceDeps): void {
  const callee = callees.get(call.to);
  const ctx: WalkContext = {
    call,
    script: callee.script,
    deps,
    documentUrl: null,
    extraParams: {},
    fallback: options.fallback ?? null,
    ...(callee.interactive ? { live: deps.livePhones.open(call.sid) } : {}),
  };
  const canceled = (): boolean => call.status === 'canceled';
  deps.tasks.run(
    () =>
      runOutboundCall(ctx, options, callee).finally(() => {
        if (ctx.live) deps.livePhones.close(call.sid);
      }),
    (error) => deps.log(`call ${call.sid} failed: ${String(error)}`),
  );

  async function runOutboundCall(ctx: WalkContext, options: OutboundStart, callee: CalleeBehaviour): Promise<void> {
    await deps.tasks.sleep(deps.delayMs);
    if (canceled()) return finish(ctx, 'canceled');
    await announce(ctx, 'initiated', 'initiated');
    if (callee.outcome === 'failed') return finish(ctx, 'failed');
    await deps.tasks.sleep(deps.delayMs);
    if (canceled()) return finish(ctx, 'canceled');
    deps.calls.transition(call, 'ringing');
    await announce(ctx, 'ringing', 'ringing');
    const outcome = await ringOutcome(ctx, callee, options.timeoutSeconds ?? 60);
    if (canceled()) return finish(ctx, 'canceled');
    if (outcome === 'busy') return finish(ctx, 'busy');
    if (outcome === 'no-answer') return finish(ctx, 'no-answer');

    deps.calls.transition(call, 'in-progress');
    if (options.machineDetection) {
      call.answeredBy = detectAnsweredBy(callee.answeredBy, options.machineDetection);
      ctx.extraParams.AnsweredBy = call.answeredBy;
    }
    await announce(ctx, 'answered', 'in-progress');
    const pending = call.redirect;
    call.redirect = null;
    const start: WalkStart = pending
      ? 'twiml' in pending
        ? pending
        : { ...pending, params: voiceParams(ctx) }
      : 'twiml' in options.start
        ? options.start
        : { url: options.start.url, method: options.start.method, params: voiceParams(ctx) };
    const endedBy = call.hangupRequested ? 'hangup' : await walkTwiml(ctx, start);
    await finish(ctx, endedBy, rejectReasonOf(call));
  }
}
