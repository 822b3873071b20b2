import { boolAttribute, intAttribute } from '../../twiml/voice';
import type { PhoneInput } from '../script';
import type { CallStep } from '../transcript';
import type { VerbHandler, WalkContext } from '../walk-context';
import { actionRequest } from './action';

/**
 * The phone's input at this Gather: the script's next one, or, on a live call, what the person
 * does (waiting for them; silence if they do nothing for the prompt's timeout).
 */
async function nextInput(ctx: WalkContext, step: CallStep, attributes: Record<string, string>): Promise<PhoneInput | 'hangup'> {
  if (!ctx.live) return ctx.script.inputs.shift() ?? { silence: true };
  const answer = await ctx.live.ask('gather', attributes, ctx.call.transcript.steps.indexOf(step), {
    kind: 'gather',
    input: { silence: true },
  });
  return answer.kind === 'gather' ? answer.input : 'hangup';
}

/** Twilio's default `confidence` when a test gives none (the sandbox's choice). */
const DEFAULT_CONFIDENCE = 0.9;

/** Digits as Twilio collects them: up to numDigits, or up to (without) the finishOnKey. */
function collectDigits(pressed: string, numDigits: number, finishOnKey: string): { digits: string; finishedOnKey: string } {
  if (numDigits > 0 && pressed.length >= numDigits) return { digits: pressed.slice(0, numDigits), finishedOnKey: '' };
  const stop = finishOnKey === '' ? -1 : pressed.indexOf(finishOnKey);
  if (stop >= 0) return { digits: pressed.slice(0, stop), finishedOnKey: finishOnKey };
  return { digits: pressed, finishedOnKey: '' };
}

/**
 * `<Gather input numDigits timeout finishOnKey action method actionOnEmptyResult hints>`: takes
 * the phone's next input. Digits (input includes `dtmf`) → action with Digits + FinishedOnKey;
 * speech (input includes `speech`) → action with SpeechResult + Confidence. No input (or input of
 * a kind the Gather does not listen for) → after `timeout` seconds, the next verb, or the action
 * without input when actionOnEmptyResult="true" (https://www.twilio.com/docs/voice/twiml/gather).
 */
export const gather: VerbHandler = async (step, ctx, element) => {
  const modes = (element.attributes.input ?? 'dtmf').toLowerCase().split(/\s+/);
  const input = await nextInput(ctx, step, element.attributes);
  if (input === 'hangup') {
    step.outcome = { hangup: true };
    return { kind: 'end', endedBy: 'hangup' };
  }
  if ('digits' in input && modes.includes('dtmf')) {
    const { digits, finishedOnKey } = collectDigits(
      input.digits,
      intAttribute(element, 'numDigits', 0),
      element.attributes.finishOnKey ?? '#',
    );
    if (digits !== '') {
      step.outcome = { digits };
      return actionRequest(ctx, element, { Digits: digits, FinishedOnKey: finishedOnKey });
    }
  } else if ('speech' in input && modes.includes('speech')) {
    const confidence = input.confidence ?? DEFAULT_CONFIDENCE;
    step.outcome = { speech: input.speech, confidence };
    return actionRequest(ctx, element, { SpeechResult: input.speech, Confidence: String(confidence) });
  }
  step.outcome = { silence: true };
  ctx.call.seconds += intAttribute(element, 'timeout', 5);
  if (boolAttribute(element, 'actionOnEmptyResult', false)) return actionRequest(ctx, element, {});
  return { kind: 'next' };
};
