import { ControlError } from '../control/errors';
import { defaultCallScript, readCallScript, type CallScript } from './script';

type CalleeOutcome = 'answer' | 'busy' | 'no-answer' | 'failed';
const OUTCOMES: readonly CalleeOutcome[] = ['answer', 'busy', 'no-answer', 'failed'];

/** Twilio's AnsweredBy values (https://www.twilio.com/docs/voice/answering-machine-detection). */
const ANSWERED_BY = ['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];

/** How the sandbox plays the party an outbound call rings. */
export interface CalleeBehaviour {
  outcome: CalleeOutcome;
  answeredBy: AnsweredBy;
  /** Real milliseconds the phone rings before the outcome (lets tests cancel a ringing call). */
  ringMs: number;
  script: CallScript;
  /**
   * A person answers from the console: the call rings until they pick answer / busy / no-answer
   * (or the call's Timeout passes), then each Gather and Record waits for them.
   */
  interactive: boolean;
}

function defaultBehaviour(): CalleeBehaviour {
  return { outcome: 'answer', answeredBy: 'human', ringMs: 0, script: defaultCallScript(), interactive: false };
}

/** Callee behaviour per number, set with `POST /_sandbox/phone/callee`; kept until replaced. */
export class CalleeBook {
  private readonly byNumber = new Map<string, CalleeBehaviour>();

  set(body: Record<string, unknown>): { number: string; behaviour: CalleeBehaviour } {
    const number = body.number;
    if (typeof number !== 'string' || number === '') throw new ControlError(400, 'invalid_request', '"number" must be a non-empty string');
    const outcome = body.outcome ?? 'answer';
    if (typeof outcome !== 'string' || !OUTCOMES.includes(outcome as CalleeOutcome))
      throw new ControlError(400, 'invalid_request', `"outcome" must be one of ${OUTCOMES.join(', ')}`);
    const answeredBy = body.answeredBy ?? 'human';
    if (typeof answeredBy !== 'string' || !(ANSWERED_BY as readonly string[]).includes(answeredBy))
      throw new ControlError(400, 'invalid_request', `"answeredBy" must be one of ${ANSWERED_BY.join(', ')}`);
    const ringMs = body.ringMs ?? 0;
    if (typeof ringMs !== 'number' || ringMs < 0 || ringMs > 60_000)
      throw new ControlError(400, 'invalid_request', '"ringMs" must be a number from 0 to 60000');
    const interactive = body.interactive ?? false;
    if (typeof interactive !== 'boolean') throw new ControlError(400, 'invalid_request', '"interactive" must be a boolean');
    const behaviour: CalleeBehaviour = {
      outcome: outcome as CalleeOutcome,
      answeredBy: answeredBy as AnsweredBy,
      ringMs,
      script: readCallScript(body),
      interactive,
    };
    this.byNumber.set(number, behaviour);
    return { number, behaviour };
  }

  /** The behaviour for `number` (a fresh copy: each call consumes its own inputs). */
  get(number: string): CalleeBehaviour {
    const behaviour = this.byNumber.get(number) ?? defaultBehaviour();
    return { ...behaviour, script: { ...behaviour.script, inputs: [...behaviour.script.inputs] } };
  }
}

/**
 * What Twilio reports as AnsweredBy for a callee under MachineDetection: `Enable` stops at
 * `machine_start`; `DetectMessageEnd` waits for the end of the greeting (`machine_end_*`).
 */
export function detectAnsweredBy(actual: AnsweredBy, mode: 'Enable' | 'DetectMessageEnd'): AnsweredBy {
  const machine = actual.startsWith('machine');
  if (!machine) return actual;
  if (mode === 'Enable') return 'machine_start';
  return actual === 'machine_start' ? 'machine_end_beep' : actual;
}
