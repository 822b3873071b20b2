import { intAttribute } from '../../twiml/voice';
import { isElement, ownText } from '../../twiml/xml';
import { newSid } from '../../sids';
import type { VerbHandler } from '../walk-context';
import { actionRequest } from './action';

/**
 * `<Dial timeout callerId action>` with `<Number>` children or a number as text. The dialed
 * party behaves as the script's `dialOutcome` (default completed, talking `dialDurationSeconds`).
 * With an action: POST DialCallStatus, DialCallSid, DialBridged (+ DialCallDuration when
 * answered) and continue with its TwiML; without: the next verb
 * (https://www.twilio.com/docs/voice/twiml/dial#action).
 */
export const dial: VerbHandler = (step, ctx, element) => {
  const numbers = element.children
    .filter(isElement)
    .filter((c) => c.name === 'Number')
    .map((c) => ownText(c).trim());
  const own = ownText(element).trim();
  if (own !== '') numbers.unshift(own);
  const outcome = ctx.script.dialOutcome;
  const answered = outcome === 'completed';
  const duration = answered ? ctx.script.dialDurationSeconds : 0;
  const dialCallSid = newSid('CA');
  ctx.call.seconds += answered ? duration : outcome === 'no-answer' ? intAttribute(element, 'timeout', 30) : 0;
  step.outcome = { dialCallStatus: outcome, dialCallSid, dialCallDuration: duration, numbers: numbers.join(',') };
  if (element.attributes.action === undefined) return { kind: 'next' };
  const params: Record<string, string> = { DialCallStatus: outcome, DialCallSid: dialCallSid, DialBridged: String(answered) };
  if (answered) params.DialCallDuration = String(duration);
  return actionRequest(ctx, element, params);
};
