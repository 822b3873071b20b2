import { ControlError } from '../control/errors';
import { readCallScript, type PhoneInput, type RecordingScript } from './script';

/**
 * A person on the phone, step by step (the console's Calls pane): instead of a script given up
 * front, the walk stops at each `<Gather>` and `<Record>` (and, on an outbound call, while it
 * rings) and waits until the control plane answers the prompt:
 *
 * - `POST /_sandbox/calls/{CA}/answer`  `{ outcome: 'answer' | 'busy' | 'no-answer' }` while ringing
 * - `POST /_sandbox/calls/{CA}/input`   `{ digits } | { speech, confidence? } | { silence: true }` at a Gather
 * - `POST /_sandbox/calls/{CA}/record`  `{ durationSeconds, transcription?, endWith? }` at a Record
 * - `POST /_sandbox/calls/{CA}/hangup`  at any time
 *
 * A prompt nobody answers ends as Twilio's caller would: silence at a Gather after
 * `promptTimeoutMs`, no answer when the ring time runs out, a hang-up otherwise.
 */
export type PromptKind = 'ring' | 'gather' | 'record';

export interface Prompt {
  kind: PromptKind;
  /** The verb's attributes (input, numDigits, maxLength, …); empty while ringing. */
  attributes: Record<string, string>;
  /** Index of the step it belongs to in the call's transcript (`-1` while ringing). */
  step: number;
  /** Real time the prompt opened (ISO 8601). */
  since: string;
}

type RingAnswer = 'answer' | 'busy' | 'no-answer';
export type LiveAnswer =
  | { kind: 'ring'; outcome: RingAnswer }
  | { kind: 'gather'; input: PhoneInput }
  | { kind: 'record'; recording: RecordingScript }
  | { kind: 'hangup' };

/** How long a Gather or Record prompt waits for the person before giving up (real time). */
const DEFAULT_PROMPT_TIMEOUT_MS = 10 * 60_000;

interface Waiting {
  prompt: Prompt;
  resolve: (answer: LiveAnswer) => void;
  timer: NodeJS.Timeout;
}

function fail(message: string): never {
  throw new ControlError(400, 'invalid_request', message);
}

/** One live call's phone: at most one open prompt at a time. */
export class LivePhone {
  private waiting: Waiting | null = null;
  private hungUp = false;

  constructor(
    private readonly onChange: () => void,
    private readonly promptTimeoutMs = DEFAULT_PROMPT_TIMEOUT_MS,
  ) {}

  get prompt(): Prompt | null {
    return this.waiting?.prompt ?? null;
  }

  get hasHungUp(): boolean {
    return this.hungUp;
  }

  /** Opens a prompt and resolves with the person's answer (or the timeout's, `onTimeout`). */
  ask(
    kind: PromptKind,
    attributes: Record<string, string>,
    step: number,
    onTimeout: LiveAnswer,
    timeoutMs = this.promptTimeoutMs,
  ): Promise<LiveAnswer> {
    if (this.hungUp) return Promise.resolve({ kind: 'hangup' });
    this.settle({ kind: 'hangup' }); // a stale prompt (should not happen) ends as a hang-up
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(onTimeout), timeoutMs);
      timer.unref();
      this.waiting = { prompt: { kind, attributes, step, since: new Date().toISOString() }, resolve, timer };
      this.onChange();
    });
  }

  /** The control plane's answer to the open prompt; 409 when none of that kind is open. */
  answer(kind: Exclude<PromptKind, 'ring'> | 'ring', body: Record<string, unknown>): void {
    const open = this.waiting?.prompt.kind;
    if (open !== kind)
      throw new ControlError(
        409,
        'not_waiting',
        open ? `The call waits for ${open}, not ${kind}` : 'The call is not waiting for the phone',
      );
    if (kind === 'ring') {
      const outcome = body.outcome ?? 'answer';
      if (outcome !== 'answer' && outcome !== 'busy' && outcome !== 'no-answer') fail('"outcome" must be answer, busy or no-answer');
      this.settle({ kind: 'ring', outcome });
    } else if (kind === 'gather') {
      const [input] = readCallScript({ inputs: [body] }).inputs;
      this.settle({ kind: 'gather', input });
    } else {
      this.settle({ kind: 'record', recording: readCallScript({ recording: body }).recording });
    }
  }

  /** The person hangs up: any open prompt ends, and so does every later one. */
  hangUp(): void {
    this.hungUp = true;
    this.settle({ kind: 'hangup' });
  }

  private settle(answer: LiveAnswer): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    clearTimeout(waiting.timer);
    waiting.resolve(answer);
    this.onChange();
  }
}

/** The live phones of calls in progress, by call SID; also which numbers ring on the console. */
export class LivePhoneBook {
  private readonly byCall = new Map<string, LivePhone>();

  constructor(private readonly onChange: () => void) {}

  open(callSid: string): LivePhone {
    const phone = new LivePhone(this.onChange);
    this.byCall.set(callSid, phone);
    return phone;
  }

  get(callSid: string): LivePhone | undefined {
    return this.byCall.get(callSid);
  }

  /** The call ended: its phone is forgotten (a later answer gets 409). */
  close(callSid: string): void {
    const phone = this.byCall.get(callSid);
    if (!phone) return;
    phone.hangUp();
    this.byCall.delete(callSid);
    this.onChange();
  }

  /** The sandbox stops: every waiting call hangs up. */
  closeAll(): void {
    for (const sid of [...this.byCall.keys()]) this.close(sid);
  }
}
