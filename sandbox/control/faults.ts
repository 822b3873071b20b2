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
  /** Matching requests still to be affected. */
  remaining: number;
  delayMs: number;
}

/**
 * Faults are matched, in the order they were added, against the method and the full sandbox
 * path of API requests (e.g. `/api/2010-04-01/Accounts/AC…/Messages.json`); each match uses
 * up one of its `times`.
 */
export class FaultInjector {
  private faults: Array<Fault & { regex: RegExp }> = [];
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
    const times = optionalNumber(body, 'times') ?? 1;
    const delayMs = optionalNumber(body, 'delayMs') ?? 0;
    if (status === null && delayMs === 0) throw new ControlError(400, 'invalid_request', 'a fault needs a "status" or a "delayMs"');
    if (status !== null && (status < 400 || status > 599)) throw new ControlError(400, 'invalid_request', '"status" must be a 4xx or 5xx HTTP status');
    if (!Number.isInteger(times) || times < 1) throw new ControlError(400, 'invalid_request', '"times" must be a positive integer');
    if (delayMs < 0) throw new ControlError(400, 'invalid_request', '"delayMs" must not be negative');
    const message = typeof body.message === 'string' ? body.message : `Injected fault (${code ?? status})`;
    const fault = { id: this.nextId++, method, pathPattern, status, code: code ?? status, message, remaining: times, delayMs, regex };
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

  /** The first fault matching the request, with one use consumed; `null` if none. */
  take(method: string, path: string): Fault | null {
    const index = this.faults.findIndex((f) => (f.method === null || f.method === method) && f.regex.test(path));
    if (index < 0) return null;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining === 0) this.faults.splice(index, 1);
    return publicFault(fault);
  }
}

function publicFault(fault: Fault & { regex: RegExp }): Fault {
  const { regex: _regex, ...rest } = fault;
  return rest;
}
