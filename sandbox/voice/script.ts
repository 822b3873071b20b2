import { ControlError } from '../control/errors';

/** What the person on the phone does at one `<Gather>`. */
export type PhoneInput = { digits: string } | { speech: string; confidence?: number } | { silence: true };

export type DialOutcome = 'completed' | 'busy' | 'no-answer' | 'failed';
const DIAL_OUTCOMES: readonly DialOutcome[] = ['completed', 'busy', 'no-answer', 'failed'];

/** Twilio's `<Pay>` Result values (https://www.twilio.com/docs/voice/twiml/pay). */
const PAY_RESULTS = [
  'success',
  'too-many-failed-attempts',
  'payment-connector-error',
  'caller-interrupted-with-star',
  'caller-hung-up',
  'validation-error',
  'internal-error',
  'input-timeout',
] as const;
type PayResult = (typeof PAY_RESULTS)[number];

export interface RecordingScript {
  /** Seconds of audio the caller leaves at `<Record>`; 0 = an empty recording. */
  durationSeconds: number;
  /** The transcription text; `null` (or absent) = the transcription fails. */
  transcription?: string | null;
  /** How the caller ends the recording: `hangup` (default; the call ends) or a key such as `#`. */
  endWith?: string;
}

/**
 * How the person on the phone behaves during a walk: Gather inputs in order, the `<Dial>`ed
 * party's outcome, the recording left at `<Record>`, the `<Pay>` result.
 */
export interface CallScript {
  inputs: PhoneInput[];
  dialOutcome: DialOutcome;
  dialDurationSeconds: number;
  recording: RecordingScript;
  payResult: PayResult;
}

const DEFAULT_DIAL_DURATION_SECONDS = 30;

function fail(message: string): never {
  throw new ControlError(400, 'invalid_request', message);
}

function readInput(value: unknown, index: number): PhoneInput {
  if (typeof value !== 'object' || value === null) return fail(`inputs[${index}] must be an object`);
  const input = value as Record<string, unknown>;
  if (typeof input.digits === 'string') {
    if (!/^[0-9*#]*$/.test(input.digits)) fail(`inputs[${index}].digits may only hold 0-9, * and #`);
    return { digits: input.digits };
  }
  if (typeof input.speech === 'string') {
    const { confidence } = input;
    if (confidence !== undefined && (typeof confidence !== 'number' || confidence < 0 || confidence > 1))
      fail(`inputs[${index}].confidence must be a number from 0 to 1`);
    return confidence === undefined ? { speech: input.speech } : { speech: input.speech, confidence };
  }
  if (input.silence === true) return { silence: true };
  return fail(`inputs[${index}] must be { digits }, { speech, confidence? } or { silence: true }`);
}

function readRecording(value: unknown): RecordingScript {
  if (value === undefined || value === null) return { durationSeconds: 0 };
  if (typeof value !== 'object') return fail('"recording" must be an object');
  const r = value as Record<string, unknown>;
  const duration = r.durationSeconds ?? 0;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0)
    fail('"recording.durationSeconds" must be a non-negative integer');
  if (r.transcription !== undefined && r.transcription !== null && typeof r.transcription !== 'string')
    fail('"recording.transcription" must be a string or null');
  if (r.endWith !== undefined && (typeof r.endWith !== 'string' || !/^(hangup|[0-9*#])$/.test(r.endWith)))
    fail('"recording.endWith" must be "hangup" or one key');
  const script: RecordingScript = { durationSeconds: duration };
  if (r.transcription !== undefined) script.transcription = r.transcription;
  if (typeof r.endWith === 'string') script.endWith = r.endWith;
  return script;
}

/** Reads the phone's behaviour from a control-plane JSON body (`inputs`, `dialOutcome`, …). */
export function readCallScript(body: Record<string, unknown>): CallScript {
  const inputs = body.inputs ?? [];
  if (!Array.isArray(inputs)) fail('"inputs" must be an array');
  const dialOutcome = body.dialOutcome ?? 'completed';
  if (typeof dialOutcome !== 'string' || !DIAL_OUTCOMES.includes(dialOutcome as DialOutcome))
    fail(`"dialOutcome" must be one of ${DIAL_OUTCOMES.join(', ')}`);
  const dialDuration = body.dialDurationSeconds ?? DEFAULT_DIAL_DURATION_SECONDS;
  if (typeof dialDuration !== 'number' || !Number.isInteger(dialDuration) || dialDuration < 0)
    fail('"dialDurationSeconds" must be a non-negative integer');
  const payResult = body.payResult ?? 'success';
  if (typeof payResult !== 'string' || !(PAY_RESULTS as readonly string[]).includes(payResult))
    fail(`"payResult" must be one of ${PAY_RESULTS.join(', ')}`);
  return {
    inputs: (inputs as unknown[]).map(readInput),
    dialOutcome: dialOutcome as DialOutcome,
    dialDurationSeconds: dialDuration,
    recording: readRecording(body.recording),
    payResult: payResult as PayResult,
  };
}

export function defaultCallScript(): CallScript {
  return {
    inputs: [],
    dialOutcome: 'completed',
    dialDurationSeconds: DEFAULT_DIAL_DURATION_SECONDS,
    recording: { durationSeconds: 0 },
    payResult: 'success',
  };
}
