import { intAttribute } from '../../twiml/voice';
import type { VerbHandler } from '../walk-context';

/** `<Say>` / `<Play>`: the caller hears it; the transcript keeps text, voice and language. */
export const say: VerbHandler = () => ({ kind: 'next' });
export const play: VerbHandler = () => ({ kind: 'next' });

/** `<Pause length>` (default 1 s): advances the call's simulated time. */
export const pause: VerbHandler = (_step, ctx, element) => {
  ctx.call.seconds += intAttribute(element, 'length', 1);
  return { kind: 'next' };
};

export const hangup: VerbHandler = () => ({ kind: 'end', endedBy: 'hangup' });
export const reject: VerbHandler = () => ({ kind: 'end', endedBy: 'reject' });
