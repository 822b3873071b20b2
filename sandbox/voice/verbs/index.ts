import type { VoiceVerb } from '../../twiml/voice';
import type { VerbHandler } from '../walk-context';
import { dial } from './dial';
import { gather } from './gather';
import { message } from './message';
import { pay } from './pay';
import { record } from './record';
import { redirect } from './redirect';
import { hangup, pause, play, reject, say } from './simple';

/** One handler per Voice TwiML verb the sandbox executes. */
export const VERB_HANDLERS: Readonly<Record<VoiceVerb, VerbHandler>> = {
  Say: say,
  Play: play,
  Pause: pause,
  Gather: gather,
  Redirect: redirect,
  Dial: dial,
  Record: record,
  Pay: pay,
  Message: message,
  Hangup: hangup,
  Reject: reject,
};
