import { AppError } from '../errors/app-error';
import { fromTwilioError, isTwilioRestError } from '../errors/twilio-errors';
import { readSettings, type RuntimeContext, type Settings } from '../config/settings';
import { requireBearerToken } from '../http/bearer-token';
import type { Params } from '../http/params';
import { errorReply, toFunctionResponse, type FunctionResponse, type Reply } from '../http/reply';
import { log } from '../logging/log';
import { twilioClientFor, type ClientSource } from '../twilio/client-for-context';
import type { TwilioClient } from '../twilio/sdk';
import { createStores, type Stores } from '../stores';
import { Deadline, FUNCTION_BUDGET_MS } from './deadline';

/** The event as the Functions runtime passes it: merged query/body params plus request metadata. */
export type FunctionEvent = Params & {
  request?: { headers?: Readonly<Record<string, string | string[] | undefined>>; cookies?: unknown };
};

export type FunctionCallback = (error: null, response: FunctionResponse) => void;
export type FunctionHandler = (context: RuntimeContext & ClientSource, event: FunctionEvent, callback: FunctionCallback) => void;

/** Everything a route receives; each concern has been dealt with once, here. */
export interface RouteInput {
  /** Request parameters without the runtime's `request` metadata. */
  params: Params;
  /** Lower-cased request headers. */
  header(name: string): string | undefined;
  settings: Settings;
  /** The Twilio client for this deployment (sandbox, API key or runtime credentials). */
  twilio(): TwilioClient;
  /** Work must finish by this point; retries and fan-out take it. */
  deadline: Deadline;
  /** The Sync-backed stores, bound to this request's client and deadline. */
  stores(): Stores;
}

export type Route = (input: RouteInput) => Promise<Reply>;

function toInput(context: RuntimeContext & ClientSource, event: FunctionEvent): RouteInput {
  const { request, ...params } = event;
  const headers = request?.headers ?? {};
  const settings = readSettings(context);
  const deadline = Deadline.in(FUNCTION_BUDGET_MS);
  const twilio = () => twilioClientFor(settings, context);
  let stores: Stores | undefined;
  return {
    params,
    header: (name) => {
      const value = headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    },
    settings,
    twilio,
    deadline,
    stores: () => (stores ??= createStores(twilio(), settings, deadline)),
  };
}

/** Turns anything thrown into a reply: our errors as they are, Twilio's mapped, bugs as a bare 500. */
export function replyForError(error: unknown, path: string | undefined): Reply {
  if (error instanceof AppError) return errorReply(error);
  if (isTwilioRestError(error)) return errorReply(fromTwilioError(error));
  log('error', 'route_failed', {
    path,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return errorReply(new AppError(500, 'internal_error', 'Something went wrong on our side; it has been logged'));
}

/** Wraps a route: builds its input, checks the bearer token when asked, answers whatever happens. */
function defineRoute(requireToken: boolean, route: Route): FunctionHandler {
  return (context, event, callback) => {
    const respond = (reply: Reply) => callback(null, toFunctionResponse(reply));
    const run = async (): Promise<Reply> => {
      const input = toInput(context, event);
      if (requireToken) requireBearerToken(input.header('authorization'), input.settings.apiToken);
      return route(input);
    };
    run().then(respond, (error: unknown) => respond(replyForError(error, context.PATH)));
  };
}

/** An API action called by your own systems: requires `Authorization: Bearer <API_TOKEN>`. */
export const apiAction = (route: Route): FunctionHandler => defineRoute(true, route);

/** An unauthenticated action (health checks, public pages' endpoints with their own defences). */
export const publicAction = (route: Route): FunctionHandler => defineRoute(false, route);

/**
 * A Twilio webhook. Deploy it as `*.protected`: Twilio's gateway checks X-Twilio-Signature
 * before the function runs (and the local gateway does the same), so the route body only ever
 * sees genuine Twilio requests.
 */
export const twilioWebhook = (route: Route): FunctionHandler => defineRoute(false, route);
