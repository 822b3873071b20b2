import { randomInt } from 'node:crypto';
import { ControlError, optionalNumber, requireString } from './errors';

/** A Twilio-shaped error and/or latency injected into matching API requests. */
export interface Fault {
  id: number;
  method: string | null;
  pathPattern: string;
  /** HTTP status to answer with; `null` = only add latency, then serve normally. */
  status: number | null;
  code: number | null;
  message: string;
  /** Times the fault may still fire; `null` = no limit (a rate fault without `times`). */
  remaining: number | null;
  delayMs: number;
  /** Probability (0 < rate ≤ 1) that a matching request is hit; `null` = every matching request, `times` times. */
  rate: number | null;
  /** The seed of a rate fault's random sequence (given, or drawn at random and shown here to replay it). */
  seed: number | null;
  /**
   * True: the request is carried out first and only its answer is replaced by the error (Twilio
   * did the work but the answer was lost: a 500 after the write, a gateway timeout).
   */
  carriedOut: boolean;
  /** Matching requests seen so far, and how many of them the fault hit. */
  matched: number;
  fired: number;
}

/** Twilio's messages for the errors tests inject most (https://www.twilio.com/docs/api/errors/<code>). */
const KNOWN_MESSAGES: Readonly<Record<number, string>> = {
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  20503: 'Service Unavailable',
};

interface ActiveFault extends Fault {
  regex: RegExp;
  /** Uniform [0, 1) draws for a rate fault; `null` for a counted one. */
  random: (() => number) | null;
}

/**
 * mulberry32: a small, fast, well-distributed 32-bit PRNG. The same seed gives the same draws on
 * every machine, so a rate fault hits the same requests of a given sequence every run.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Faults are matched, in the order they were added, against the method and the full sandbox
 * path of API requests (e.g. `/api/2010-04-01/Accounts/AC…/Messages.json`). A counted fault hits
 * the next `times` matching requests. A rate fault hits each matching request with probability
 * `rate`, from its own seeded sequence: every rate fault draws once for every request it matches
 * (hit or not, and whatever an earlier fault did), so each fault's hits depend only on its seed and
 * the order of the requests; the first fault that hits a request answers it. With 5 % and 1 %
 * faults on one path, about 5 % and 0.95 % of requests get each.
 */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(body: Record<string, unknown>): Fault {
    const pathPattern = requireString(body, 'pathPattern');
    let regex: RegExp;
    try {
      regex = new RegExp(pathPattern);
    } catch {
      throw new ControlError(400, 'invalid_request', `"pathPattern" is not a valid regular expression: ${pathPattern}`);
    }
    const method = typeof body.method === 'string' && body.method !== '' ? body.method.toUpperCase() : null;
    const status = optionalNumber(body, 'status') ?? null;
    const code = optionalNumber(body, 'code') ?? null;
    const rate = optionalNumber(body, 'rate') ?? null;
    const times = optionalNumber(body, 'times') ?? (rate === null ? 1 : null);
    const delayMs = optionalNumber(body, 'delayMs') ?? 0;
    const givenSeed = optionalNumber(body, 'seed');
    if (body.carriedOut !== undefined && typeof body.carriedOut !== 'boolean')
      throw new ControlError(400, 'invalid_request', '"carriedOut" must be true or false');
    const carriedOut = body.carriedOut === true;
    if (carriedOut && status === null) throw new ControlError(400, 'invalid_request', '"carriedOut" needs a "status" to answer with');
    if (status === null && delayMs === 0) throw new ControlError(400, 'invalid_request', 'a fault needs a "status" or a "delayMs"');
    if (status !== null && (status < 400 || status > 599))
      throw new ControlError(400, 'invalid_request', '"status" must be a 4xx or 5xx HTTP status');
    if (times !== null && (!Number.isInteger(times) || times < 1))
      throw new ControlError(400, 'invalid_request', '"times" must be a positive integer');
    if (delayMs < 0) throw new ControlError(400, 'invalid_request', '"delayMs" must not be negative');
    if (rate !== null && !(rate > 0 && rate <= 1))
      throw new ControlError(400, 'invalid_request', '"rate" must be a probability above 0 and at most 1');
    if (givenSeed !== undefined && (rate === null || !Number.isInteger(givenSeed) || givenSeed < 0 || givenSeed > 0xffffffff)) {
      throw new ControlError(400, 'invalid_request', '"seed" goes with "rate" and must be an integer from 0 to 4294967295');
    }
    const seed = rate === null ? null : (givenSeed ?? randomInt(0, 0xffffffff));
    const effectiveCode = code ?? status;
    const message =
      typeof body.message === 'string'
        ? body.message
        : (effectiveCode !== null && KNOWN_MESSAGES[effectiveCode]) || `Injected fault (${effectiveCode})`;
    const fault: ActiveFault = {
      id: this.nextId++,
      method,
      pathPattern,
      status,
      code: effectiveCode,
      message,
      remaining: times,
      delayMs,
      rate,
      seed,
      carriedOut,
      matched: 0,
      fired: 0,
      regex,
      random: seed === null ? null : seededRandom(seed),
    };
    this.faults.push(fault);
    return publicFault(fault);
  }

  list(): Fault[] {
    return this.faults.map(publicFault);
  }

  clear(): number {
    const count = this.faults.length;
    this.faults = [];
    return count;
  }

  /** The fault that hits this request (one use consumed), or `null`; every matching rate fault draws. */
  take(method: string, path: string): Fault | null {
    let hit: ActiveFault | null = null;
    for (const fault of this.faults) {
      if ((fault.method !== null && fault.method !== method) || !fault.regex.test(path)) continue;
      fault.matched += 1;
      const drawn = fault.random === null || fault.random() < (fault.rate ?? 1);
      if (drawn && hit === null) hit = fault;
    }
    if (!hit) return null;
    hit.fired += 1;
    if (hit.remaining !== null) {
      hit.remaining -= 1;
      if (hit.remaining === 0) this.faults = this.faults.filter((f) => f !== hit);
    }
    return publicFault(hit);
  }
}

function publicFault(fault: ActiveFault): Fault {
  const { regex: _regex, random: _random, ...rest } = fault;
  return rest;
}
