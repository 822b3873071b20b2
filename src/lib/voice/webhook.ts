import type { Settings } from '../config/settings';
import { AppError } from '../errors/app-error';
import { twiml, type Reply } from '../http/reply';
import { log } from '../logging/log';
import { defineRoute, type FunctionHandler, type Route, type RouteInput } from '../runtime/route';
import { say, voiceResponse, type VoiceResponse } from './twiml';

const APOLOGY = 'Sorry, something went wrong on our side. Please call again later. Goodbye.';

/** What the caller hears when a voice route fails: an apology, then a clean hang-up (never JSON, never silence). */
function apology(settings: Settings | undefined): VoiceResponse {
  const response = voiceResponse();
  if (settings) say(response, settings, APOLOGY);
  else response.say(APOLOGY);
  response.hangup();
  return response;
}

function answerWithTwiml(error: unknown, path: string | undefined, input: RouteInput | undefined): Reply {
  const reason = error instanceof AppError ? error.code : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  log(error instanceof AppError && error.status < 500 ? 'warn' : 'error', 'voice_route_failed', { path, error: reason });
  return twiml(apology(input?.settings));
}

/**
 * The route, or a timeout error once the request's deadline passes: a single slow Twilio or
 * Sync request must not make the Function miss its answer (Twilio would play its own error).
 */
const withinDeadline =
  (route: Route): Route =>
  async (input) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError(503, 'deadline_exceeded', 'The voice route did not finish in time')),
        input.deadline.remainingMs(),
      );
    });
    try {
      return await Promise.race([route(input), late]);
    } finally {
      clearTimeout(timer);
    }
  };

/**
 * A Twilio voice webhook (deployed as `*.protected`, like every webhook). Whatever goes wrong
 * inside, a thrown error or a route still waiting at the 9 s deadline, Twilio gets valid TwiML:
 * the caller hears an apology and the call ends cleanly, and the error is logged. A JSON answer
 * or none would make Twilio play its own error message and drop the call.
 */
export const voiceWebhook = (route: Route): FunctionHandler =>
  defineRoute(withinDeadline(route), { answerError: answerWithTwiml, fromTwilio: true });
