import { ControlError } from '../control/errors';
import type { DialOutcome } from './script';

/**
 * Voice SDK clients (softphones) a `<Dial><Client>` can ring. A client identifier has at most 256
 * characters and no control, space, delimiter (`< > # % "`) or unwise (`{ } | \ ^ [ ] \``)
 * characters (https://www.twilio.com/docs/voice/twiml/client, error 31105). A client nobody has
 * registered is offline: the dial rings out (`no-answer`).
 */

const DELIMITERS_AND_UNWISE = new Set('<>#%"{}|\\^[]`');

/** A control character, a space, a delimiter or an unwise character. */
const isRefused = (character: string): boolean => {
  const code = character.charCodeAt(0);
  return code <= 0x20 || code === 0x7f || DELIMITERS_AND_UNWISE.has(character);
};

/** Does `identity` follow Twilio's rules for a client identifier? */
export function isValidClientIdentity(identity: string): boolean {
  return identity.length > 0 && identity.length <= 256 && ![...identity].some(isRefused);
}

export type ClientAnswer = 'answer' | 'busy' | 'no-answer' | 'failed';
const ANSWERS: readonly ClientAnswer[] = ['answer', 'busy', 'no-answer', 'failed'];

/** One ring of a client by a `<Dial>`. */
export interface ClientRing {
  identity: string;
  callSid: string;
  dialCallStatus: DialOutcome;
  /** Sandbox time of the ring (epoch ms). */
  at: number;
}

/** Registered clients and how each answers (`POST /_sandbox/voice/clients`), and every ring so far. */
export class ClientBook {
  private readonly answers = new Map<string, ClientAnswer>();
  private readonly ringLog: ClientRing[] = [];

  /** Registers (or re-registers) `identity`; `online: false` unregisters it. */
  set(body: Record<string, unknown>): { identity: string; online: boolean; answer: ClientAnswer | null } {
    const { identity } = body;
    if (typeof identity !== 'string' || !isValidClientIdentity(identity))
      throw new ControlError(
        400,
        'invalid_request',
        '"identity" must be a client identifier: 1-256 characters, no spaces or < > # % " { } | \\ ^ [ ] `',
      );
    const online = body.online ?? true;
    if (typeof online !== 'boolean') throw new ControlError(400, 'invalid_request', '"online" must be true or false');
    const answer = body.answer ?? 'answer';
    if (typeof answer !== 'string' || !ANSWERS.includes(answer as ClientAnswer))
      throw new ControlError(400, 'invalid_request', `"answer" must be one of ${ANSWERS.join(', ')}`);
    if (!online) {
      this.answers.delete(identity);
      return { identity, online, answer: null };
    }
    this.answers.set(identity, answer as ClientAnswer);
    return { identity, online, answer: answer as ClientAnswer };
  }

  /** How a ring of `identity` ends: its registered answer, or `no-answer` while it is offline. */
  outcomeOf(identity: string): DialOutcome {
    const answer = this.answers.get(identity);
    if (answer === undefined || answer === 'no-answer') return 'no-answer';
    return answer === 'answer' ? 'completed' : answer;
  }

  recordRing(ring: ClientRing): void {
    this.ringLog.push(ring);
  }

  /** Registered clients and the rings so far (oldest first). */
  snapshot(): { clients: Array<{ identity: string; answer: ClientAnswer }>; rings: ClientRing[] } {
    return {
      clients: [...this.answers].map(([identity, answer]) => ({ identity, answer })),
      rings: this.ringLog.map((ring) => ({ ...ring })),
    };
  }
}
