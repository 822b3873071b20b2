import { AppError, badRequest } from '../errors/app-error';
import { log, reasonOf } from '../logging/log';
import { surelyNotSent } from '../outbound/send-outcome';
import { optionalString, requiredString, type Params } from '../http/params';
import { maskPhone } from '../logging/redact';
import { clearAndSend, type GateContext } from '../outbound/gate';
import { noteSkippedNotice } from '../outbound/skipped-notices';
import { isCeilingRefusal } from '../spend/ceiling';
import type { Voicemail } from '../stores/voicemails';
import { isCallStatus, type CallStatus } from './call-status';
import type { Settings } from '../config/settings';
import { oneLine } from '../messaging/replies';
import { repeatable } from '../twilio/request-policy';
import type { RouteInput } from '../runtime/route';

const number = (value: string | undefined): number | undefined => (value === undefined || !/^\d+$/.test(value) ? undefined : Number(value));

/** The Record action: a voicemail, or undefined for an empty recording (no sound, hung up at once). */
export function readRecording(params: Params, now = new Date()): Voicemail | undefined {
  const recordingSid = optionalString(params, 'RecordingSid', { maxLength: 64 });
  const durationSeconds = number(optionalString(params, 'RecordingDuration', { maxLength: 8 })) ?? 0;
  if (!recordingSid || durationSeconds <= 0) return undefined;
  return {
    recordingSid,
    callSid: requiredString(params, 'CallSid', { maxLength: 64 }),
    from: optionalString(params, 'From', { maxLength: 64 }) ?? 'unknown',
    receivedAt: now.toISOString(),
    durationSeconds,
    recordingUrl: requiredString(params, 'RecordingUrl', { maxLength: 2048 }),
    transcription: { status: 'pending' },
  };
}

/**
 * The transcription callback's parameters: the text when it worked, the failure when it did not,
 * and the voicemail as this callback describes it (for when it arrives before the Record action).
 */
function readTranscription(
  params: Params,
  now = new Date(),
): { recordingSid: string; transcription: Voicemail['transcription']; voicemail: Voicemail } {
  const recordingSid = requiredString(params, 'RecordingSid', { maxLength: 64 });
  const status = optionalString(params, 'TranscriptionStatus', { maxLength: 16 });
  const text = optionalString(params, 'TranscriptionText', { maxLength: 10_000 });
  const transcription: Voicemail['transcription'] = status === 'completed' && text ? { status: 'completed', text } : { status: 'failed' };
  const voicemail: Voicemail = {
    recordingSid,
    callSid: requiredString(params, 'CallSid', { maxLength: 64 }),
    from: optionalString(params, 'From', { maxLength: 64 }) ?? 'unknown',
    receivedAt: now.toISOString(),
    durationSeconds: number(optionalString(params, 'RecordingDuration', { maxLength: 8 })) ?? 0,
    recordingUrl: optionalString(params, 'RecordingUrl', { maxLength: 2048 }) ?? '',
    transcription,
  };
  return { recordingSid, transcription, voicemail };
}

/** How long Twilio says the recording is: undefined when it does not answer (logged). */
async function recordedSeconds(input: Pick<RouteInput, 'twilio' | 'deadline'>, recordingSid: string): Promise<number | undefined> {
  try {
    const recording = await repeatable(input.deadline, () => input.twilio().recordings(recordingSid).fetch());
    const seconds = Number(recording.duration);
    return Number.isSafeInteger(seconds) && seconds >= 0 ? seconds : undefined;
  } catch (error) {
    log('warn', 'voicemail_duration_unknown', { recordingSid, reason: reasonOf(error) });
    return undefined;
  }
}

/**
 * The transcription callback: its text (or failure) on the kept voicemail. Usually the Record
 * action kept it first. When the callback comes first it carries no duration
 * (https://www.twilio.com/docs/voice/twiml/record#transcribecallback), so the Recording resource
 * gives it (one fetch): a transcription with text is a voicemail, and a failed one is when the
 * recording has sound (an empty recording's transcription fails too, and is no voicemail). The
 * Record action, when it comes, adds its duration and link. Returns the voicemail, if there is one.
 */
export async function keepTranscription(
  input: Pick<RouteInput, 'params' | 'twilio' | 'deadline' | 'stores'>,
): Promise<Voicemail | undefined> {
  const { recordingSid, transcription, voicemail } = readTranscription(input.params);
  const kept = await input.stores.voicemails.transcribed(recordingSid, transcription);
  if (kept && kept.durationSeconds > 0) return kept;
  const durationSeconds = (await recordedSeconds(input, recordingSid)) ?? 0;
  if (!kept && transcription.status !== 'completed' && durationSeconds === 0) return undefined;
  return input.stores.voicemails.transcribed(recordingSid, transcription, { ...voicemail, durationSeconds });
}

/** A call status callback (CallSid, CallStatus, To, CallDuration, AnsweredBy). */
export function readCallStatus(params: Params): {
  sid: string;
  to: string;
  status: CallStatus;
  durationSeconds?: number;
  answeredBy?: string;
} {
  const status = requiredString(params, 'CallStatus', { maxLength: 16 });
  if (!isCallStatus(status)) throw badRequest('invalid_parameter', `"CallStatus" ${status} is not a Twilio call status`);
  return {
    sid: requiredString(params, 'CallSid', { maxLength: 64 }),
    to: optionalString(params, 'To', { maxLength: 64 }) ?? '',
    status,
    durationSeconds: number(optionalString(params, 'CallDuration', { maxLength: 8 })),
    answeredBy: optionalString(params, 'AnsweredBy', { maxLength: 32 }),
  };
}

/**
 * The staff text about a voicemail: who called and what they said on one line (or the recording
 * link when the transcription failed); in PHI mode only that one arrived and where to read it
 * (GET /voice/voicemails, bearer), since a text to a staff phone is not a protected channel.
 */
function voicemailNotice(settings: Settings, voicemail: Voicemail): string {
  const lasted = voicemail.durationSeconds > 0 ? ` (${voicemail.durationSeconds}s)` : '';
  if (settings.phiMode) return `New voicemail${lasted}. Listen and read it at ${settings.publicBaseUrl}/voice/voicemails`;
  const said =
    voicemail.transcription.status === 'completed'
      ? `"${oneLine(voicemail.transcription.text ?? '')}"`
      : `(no transcription) listen: ${voicemail.recordingUrl}`;
  return `Voicemail from ${voicemail.from}${lasted}: ${said}`.slice(0, 1600);
}

/** Texts VOICEMAIL_NOTIFY_TO the voicemail's notice, once per voicemail however often Twilio repeats the callback. */
export async function notifyVoicemail(context: GateContext, voicemail: Voicemail): Promise<boolean> {
  const to = context.settings.voice.voicemailNotifyTo;
  if (!to) return false;
  const claimKey = `voicemail-notified:${voicemail.recordingSid}`;
  if (!(await context.stores.claims.claim(claimKey))) return false;
  const body = voicemailNotice(context.settings, voicemail);
  try {
    // The caller chose to leave it: the notice spends from the spend ceiling (skipped, and counted, once it is spent).
    await clearAndSend(
      context,
      { channel: 'sms', to, trigger: 'staff', importance: 'essential', causedBy: 'outsider' },
      { body, track: false },
    );
    // An audit line (who was told of which recording), never what was said.
    log('info', 'voicemail_notified', { to: maskPhone(to), recordingSid: voicemail.recordingSid });
    return true;
  } catch (error) {
    // A text Twilio may have taken keeps its claim: a missed notice is better than a second one.
    if (!surelyNotSent(error)) {
      log('error', 'voicemail_notify_unknown', { to: maskPhone(to), recordingSid: voicemail.recordingSid, reason: reasonOf(error) });
      return false;
    }
    await context.stores.claims.release(claimKey);
    // The gate or Twilio refused (the staff number opted out, is abroad...): the voicemail is kept; say so and go on.
    if (error instanceof AppError && error.status < 500) {
      log('warn', 'voicemail_notify_refused', { to: maskPhone(to), recordingSid: voicemail.recordingSid, reason: error.code });
      if (isCeilingRefusal(error)) await noteSkippedNotice(context, 'voicemail-notice');
      return false;
    }
    throw new Error(`could not notify ${maskPhone(to)} of voicemail ${voicemail.recordingSid}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
