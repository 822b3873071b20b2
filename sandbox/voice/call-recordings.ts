import { badRequest, TwilioApiError } from '../http/errors';
import type { CallRecord } from './calls';
import type { RecordingRecord, RecordingStatus } from './recordings';
import type { VoiceDeps, WalkContext } from './walk-context';
import { sendRecordingStatus } from './verbs/record';

/** `Twilio.CURRENT` in place of a recording SID names the call's active recording. */
const CURRENT_RECORDING = 'Twilio.CURRENT';

const UPDATABLE: readonly RecordingStatus[] = ['in-progress', 'paused', 'stopped'];

/** Notes a REST recording's status change on the call's transcript (and its callback when completed). */
export function callRecordingEvent(ctx: Pick<WalkContext, 'call' | 'deps' | 'extraParams'>, recording: RecordingRecord): void {
  const { transcript } = ctx.call;
  transcript.recordingEvents.push({ recordingSid: recording.sid, status: recording.status, afterStep: transcript.steps.length });
  if (recording.status === 'completed' && recording.source === 'StartCallRecordingAPI') {
    sendRecordingStatus(ctx, recording, 'POST');
  }
}

/**
 * `POST /Calls/{CA}/Recordings.json`: starts recording an in-progress call (source
 * StartCallRecordingAPI, status in-progress). Any other call status → 400 / 21220.
 */
export function startCallRecording(call: CallRecord, form: URLSearchParams, deps: VoiceDeps): RecordingRecord {
  if (call.status !== 'in-progress') throw badRequest(21220, 'Call is not in-progress. Cannot start a recording.');
  const channels = (form.get('RecordingChannels') ?? 'mono').toLowerCase() === 'dual' ? 2 : 1;
  const recording = deps.recordings.add({
    callSid: call.sid,
    source: 'StartCallRecordingAPI',
    status: 'in-progress',
    channels,
    track: form.get('RecordingTrack') ?? 'both',
    statusCallback: form.get('RecordingStatusCallback') || null,
    startAt: call.seconds,
  });
  callRecordingEvent({ call, deps, extraParams: {} }, recording);
  return recording;
}

/**
 * `POST /Calls/{CA}/Recordings/{RE|Twilio.CURRENT}.json` with Status=paused|in-progress|stopped.
 * `Twilio.CURRENT` with no active recording, or an unknown SID → 404 / 20404; another Status →
 * 400 / 20001; a recording already stopped or completed → 400 / 21220 (the sandbox's choice).
 */
export function updateCallRecording(call: CallRecord, sid: string, form: URLSearchParams, deps: VoiceDeps, path: string): RecordingRecord {
  const recording = sid === CURRENT_RECORDING ? deps.recordings.current(call.sid) : deps.recordings.get(sid);
  if (!recording || recording.callSid !== call.sid) throw new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
  const status = form.get('Status') ?? '';
  if (!UPDATABLE.includes(status as RecordingStatus))
    throw badRequest(20001, `Invalid Status: "${status}" (paused, in-progress or stopped)`);
  if (recording.status !== 'in-progress' && recording.status !== 'paused')
    throw badRequest(21220, `Recording ${recording.sid} is ${recording.status} and can no longer be updated`);
  if (recording.status !== status) {
    deps.recordings.transition(recording, status as RecordingStatus, call.seconds);
    callRecordingEvent({ call, deps, extraParams: {} }, recording);
  }
  return recording;
}
