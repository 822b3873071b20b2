import { intAttribute } from '../../twiml/voice';
import { isElement, ownText, type XmlElement } from '../../twiml/xml';
import { newSid } from '../../sids';
import { isValidClientIdentity } from '../clients';
import type { DialOutcome } from '../script';
import type { VerbHandler, WalkContext } from '../walk-context';
import { actionRequest } from './action';

/** A `<Client>`'s identity: its text, or its `<Identity>` child (https://www.twilio.com/docs/voice/twiml/client). */
function clientIdentity(element: XmlElement): string {
  const child = element.children.filter(isElement).find((c) => c.name === 'Identity');
  return (child ? ownText(child) : ownText(element)).trim();
}

/**
 * Every target rings at once and the first to answer takes the call: answered if one answers,
 * else no-answer if one rang out, else busy if one was busy, else failed.
 */
function combined(outcomes: readonly DialOutcome[]): DialOutcome {
  for (const outcome of ['completed', 'no-answer', 'busy'] as const) if (outcomes.includes(outcome)) return outcome;
  return 'failed';
}

/** Rings each `<Client>`: a registered client answers as it was told, an offline one rings out. */
function ringClients(ctx: WalkContext, identities: readonly string[]): DialOutcome[] {
  return identities.map((identity) => {
    if (!isValidClientIdentity(identity)) {
      ctx.call.transcript.warnings.push(`<Client>${identity}</Client> is not a valid client identifier (Twilio error 31105); not dialed`);
      return 'failed';
    }
    const outcome = ctx.deps.clients.outcomeOf(identity);
    ctx.deps.clients.recordRing({ identity, callSid: ctx.call.sid, dialCallStatus: outcome, at: ctx.deps.clock.now() });
    return outcome;
  });
}

/**
 * `<Dial timeout callerId action>` with `<Number>` / `<Client>` children or a number as text.
 * Numbers behave as the script's `dialOutcome` (default completed, talking
 * `dialDurationSeconds`); clients as registered with `POST /_sandbox/voice/clients` (offline:
 * no-answer). With an action: POST DialCallStatus, DialCallSid, DialBridged (+ DialCallDuration
 * when answered) and continue with its TwiML; without: the next verb
 * (https://www.twilio.com/docs/voice/twiml/dial#action).
 */
export const dial: VerbHandler = (step, ctx, element) => {
  const children = element.children.filter(isElement);
  const numbers = children.filter((c) => c.name === 'Number').map((c) => ownText(c).trim());
  const own = ownText(element).trim();
  if (own !== '') numbers.unshift(own);
  const clients = children.filter((c) => c.name === 'Client').map(clientIdentity);
  // Numbers (and a Dial that names no client) answer as the script says.
  const outcomes = [...(numbers.length > 0 || clients.length === 0 ? [ctx.script.dialOutcome] : []), ...ringClients(ctx, clients)];
  const outcome = combined(outcomes);
  const answered = outcome === 'completed';
  const duration = answered ? ctx.script.dialDurationSeconds : 0;
  const dialCallSid = newSid('CA');
  ctx.call.seconds += answered ? duration : outcome === 'no-answer' ? intAttribute(element, 'timeout', 30) : 0;
  step.outcome = {
    dialCallStatus: outcome,
    dialCallSid,
    dialCallDuration: duration,
    numbers: numbers.join(','),
    ...(clients.length > 0 ? { clients: clients.join(',') } : {}),
  };
  if (element.attributes.action === undefined) return { kind: 'next' };
  const params: Record<string, string> = { DialCallStatus: outcome, DialCallSid: dialCallSid, DialBridged: String(answered) };
  if (answered) params.DialCallDuration = String(duration);
  return actionRequest(ctx, element, params);
};
