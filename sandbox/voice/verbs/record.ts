import { rfc2822 } from '../../dates';
import { boolAttribute, intAttribute } from '../../twiml/voice';
import { recordingMediaUrl, transcriptionsPath, type RecordingRecord } from '../recordings';
import type { RecordingScript } from '../script';
import type { CallStep } from '../transcript';
import { methodOf, voiceParams, type VerbHandler, type WalkContext } from '../walk-context';
import { actionRequest } from './action';

/** Twilio transcribes `<Record>` recordings of at most two minutes. */
const MAX_TRANSCRIBED_SECONDS = 120;

/**
 * `<Record maxLength playBeep trim timeout finishOnKey transcribe transcribeCallback
 * recordingStatusCallback action method>`: the caller leaves `recording.durationSeconds` of
 * audio (clipped to maxLength, default 3600) and ends it by hanging up (default) or with a key.
 * Creates a completed Recording (source RecordVerb) and requests the action (default: the current
 * document) with RecordingUrl, RecordingSid, RecordingDuration and Digits
 * (https://www.twilio.com/docs/voice/twiml/record). After a hang-up the action's TwiML is not
 * executed. Recording status and transcription callbacks follow asynchronously.
 */
export const record: VerbHandler = async (step, ctx, element) => {
  const script = await recordingOf(ctx, step, element.attributes);
  const seconds = Math.min(script.durationSeconds, intAttribute(element, 'maxLength', 3600) || 3600);
  const recording = ctx.deps.recordings.add({
    callSid: ctx.call.sid,
    source: 'RecordVerb',
    status: 'completed',
    recordedSeconds: seconds,
    statusCallback: element.attributes.recordingStatusCallback ?? null,
  });
  ctx.call.seconds += seconds;
  const url = recordingMediaUrl(ctx.deps.accountSid, recording.sid);
  const transcribeCallback = element.attributes.transcribeCallback;
  const transcribe = boolAttribute(element, 'transcribe', false) || transcribeCallback !== undefined;
  const endWith = script.endWith ?? 'hangup';
  const entry = { sid: recording.sid, durationSeconds: seconds, url, transcriptionSid: null as string | null };
  ctx.call.transcript.recordings.push(entry);
  step.outcome = { recordingSid: recording.sid, durationSeconds: seconds, endedWith: endWith };

  if (recording.statusCallback) sendRecordingStatus(ctx, recording, methodOf(element.attributes.recordingStatusCallbackMethod));
  if (transcribe) {
    const text = seconds === 0 || seconds > MAX_TRANSCRIBED_SECONDS ? null : (script.transcription ?? null);
    const transcription = ctx.deps.recordings.addTranscription(recording, text);
    entry.transcriptionSid = transcription.sid;
    if (transcribeCallback) {
      later(ctx, `transcription of ${recording.sid}`, transcribeCallback, 'POST', {
        ...voiceParams(ctx, 'completed'),
        TranscriptionSid: transcription.sid,
        TranscriptionText: transcription.text ?? '',
        TranscriptionStatus: transcription.status,
        TranscriptionUrl: `https://api.twilio.com${transcriptionsPath(ctx.deps.accountSid)}/${transcription.sid}`,
        TranscriptionType: 'fast',
        RecordingSid: recording.sid,
        RecordingUrl: url,
      });
    }
  }
  const hungUp = endWith === 'hangup';
  const extra = { RecordingUrl: url, RecordingSid: recording.sid, RecordingDuration: String(seconds), Digits: endWith };
  return actionRequest(ctx, element, extra, hungUp ? 'hangup' : 'follow', hungUp ? 'completed' : undefined);
};

/**
 * What the caller leaves at this Record: the script's recording, or, on a live call, what the
 * person records (a hang-up, or no answer in time, leaves an empty recording and ends the call).
 */
async function recordingOf(ctx: WalkContext, step: CallStep, attributes: Record<string, string>): Promise<RecordingScript> {
  if (!ctx.live) return ctx.script.recording;
  const answer = await ctx.live.ask('record', attributes, ctx.call.transcript.steps.indexOf(step), { kind: 'hangup' });
  return answer.kind === 'record' ? answer.recording : { durationSeconds: 0, endWith: 'hangup' };
}

/** RecordingStatusCallback parameters (https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback). */
export function sendRecordingStatus(ctx: Pick<WalkContext, 'call' | 'deps'>, recording: RecordingRecord, method: 'GET' | 'POST'): void {
  if (!recording.statusCallback) return;
  later(ctx, `recording status of ${recording.sid}`, recording.statusCallback, method, {
    AccountSid: ctx.deps.accountSid,
    CallSid: ctx.call.sid,
    RecordingSid: recording.sid,
    RecordingUrl: recordingMediaUrl(ctx.deps.accountSid, recording.sid),
    RecordingStatus: recording.status,
    RecordingDuration: String(recording.recordedSeconds),
    RecordingChannels: String(recording.channels),
    RecordingStartTime: rfc2822(recording.dateCreated),
    RecordingSource: recording.source,
    RecordingTrack: recording.track,
    ErrorCode: '0',
  });
}

/** A signed callback sent after `delayMs`, counted by `settled()`. */
function later(ctx: Pick<WalkContext, 'deps'>, what: string, url: string, method: 'GET' | 'POST', params: Record<string, string>): void {
  const { tasks, dispatcher, delayMs, log } = ctx.deps;
  tasks.run(
    async () => {
      await tasks.sleep(delayMs);
      await dispatcher.deliver({ url, method, params });
    },
    (error) => log(`${what} callback failed: ${String(error)}`),
  );
}
