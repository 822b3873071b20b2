import { AppError, badRequest } from '../errors/app-error';
import { fromTwilioError, isTwilioRestError } from '../errors/twilio-errors';
import { CLIENT_SETTINGS } from '../config/schema';
import { readSettings, refuseBroken, settingsDisabling, type RuntimeContext, type Settings } from '../config/settings';
import { requireBearerToken } from '../http/bearer-token';
import { corsHeaders, requireAllowedOrigin } from '../http/cors';
import { checkNesting, withTextReplaced, type Params } from '../http/params';
import { errorReply, toFunctionResponse, type FunctionResponse, type Reply } from '../http/reply';
import { log } from '../logging/log';
import { twilioClientFor, type ClientSource } from '../twilio/client-for-context';
import type { TwilioClient } from '../twilio/sdk';
import { createStores, type Stores } from '../stores';
import { Deadline } from './deadline';
import { idempotent, type IdempotencyPolicy } from './idempotency';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The event as the Functions runtime passes it: merged query/body params plus request metadata. */
type FunctionEvent = Params & { request?: unknown };

/** An object literal or a prototype-less dictionary (what cookie parsers make). */
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * The headers, when `event.request` is what the runtime builds: `{ headers, cookies }` with
 * string values. The runtime spreads query and body parameters over it, so a parameter named
 * `request` (`request=x`, `request[headers][origin]=…`, JSON `"request": {…}`) replaces the real
 * headers; whatever does not have the runtime's shape is refused rather than believed.
 */
function runtimeHeaders(request: unknown): Headers {
  const stringish = (value: unknown) =>
    typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
  if (
    isPlainObject(request) &&
    isPlainObject(request.headers) &&
    isPlainObject(request.cookies) &&
    Object.values(request.headers).every(stringish) &&
    Object.values(request.cookies).every((value) => typeof value === 'string')
  ) {
    return request.headers as Headers;
  }
  throw badRequest('reserved_parameter', '"request" is a reserved parameter name');
}

type FunctionCallback = (error: null, response: FunctionResponse) => void;
export type FunctionHandler = (context: RuntimeContext & ClientSource, event: FunctionEvent, callback: FunctionCallback) => void;

/** Everything a route receives; each concern has been dealt with once, here. */
export interface RouteInput {
  /** The Function's path (`/sms/send`), as the runtime names it. */
  path: string;
  /** Request parameters without the runtime's `request` metadata. */
  params: Params;
  /** Lower-cased request headers. */
  header(name: string): string | undefined;
  settings: Settings;
  /** The Twilio client for this deployment (sandbox, API key or runtime credentials). */
  twilio(): TwilioClient;
  /** Work must finish by this point; retries and fan-out take it. */
  deadline: Deadline;
  /** The Sync-backed stores, bound to this request's client and deadline (made on first use). */
  readonly stores: Stores;
}

/** A route answers at once or after its work; either way the wrapper awaits it. */
export type Route = (input: RouteInput) => Reply | Promise<Reply>;

/** A Content-Type's media type, lower-cased, without its parameters (`APPLICATION/JSON; charset=utf-8` → `application/json`). */
const mediaTypeOf = (header: string | undefined): string => (header ?? '').split(';', 1)[0].trim().toLowerCase();

/**
 * What a Twilio webhook may carry. A body that is not a form is signed by Twilio only through the
 * `bodySHA256` it puts in the URL ("For application/json requests, Twilio also includes a
 * bodySHA256 query parameter": https://www.twilio.com/docs/api/errors/57012, and
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security); a signature over the URL alone
 * says nothing of such a body, so without `bodySHA256` it is refused, not believed.
 */
function requireSignedBody(contentType: string | undefined, params: Params): void {
  const type = mediaTypeOf(contentType);
  if (type === '' || type === 'application/x-www-form-urlencoded' || typeof params.bodySHA256 === 'string') return;
  throw new AppError(403, 'unsigned_body', 'A webhook body that is not a form must be signed with bodySHA256 in its URL');
}

function toInput(context: RuntimeContext & ClientSource, event: FunctionEvent, fromTwilio: boolean): RouteInput {
  const { request, ...given } = event;
  const headers = runtimeHeaders(request);
  checkNesting(given);
  const contentType = headers['content-type'];
  if (fromTwilio) requireSignedBody(Array.isArray(contentType) ? contentType[0] : contentType, given);
  // Twilio relays what people typed, stray control characters included: kept (replaced), never refused.
  const params = fromTwilio ? withTextReplaced(given) : given;
  const settings = readSettings(context);
  // Twilio ends a Function at 10 s (https://www.twilio.com/docs/api/runtime/functions/function-request-flow):
  // FUNCTION_BUDGET_MS (9 s by default) plans the answer before that.
  const deadline = Deadline.in(settings.functionBudgetMs);
  const twilio = () => {
    refuseBroken(settings, CLIENT_SETTINGS, 'every Twilio request');
    return twilioClientFor(settings, context);
  };
  let stores: Stores | undefined;
  return {
    path: context.PATH ?? '',
    params,
    header: (name) => {
      const value = headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    },
    settings,
    twilio,
    deadline,
    get stores() {
      refuseBroken(settings, ['SYNC_SERVICE_SID'], 'the Sync state');
      return (stores ??= createStores(twilio(), settings, deadline));
    },
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

/** A check made before the route runs (throws an AppError to refuse). */
type Guard = (input: RouteInput) => void;

/** Told of every refusal (guard or route) before it is answered, e.g. to count it. Must not throw. */
type RefusalListener = (input: RouteInput, error: unknown) => Promise<void>;

export interface RouteOptions {
  guard?: Guard;
  headersFor?: (input: RouteInput) => Record<string, string>;
  onRefusal?: RefusalListener;
  /** How a failure is answered (JSON by default); `input` is missing when the request could not be read. */
  answerError?: (error: unknown, path: string | undefined, input: RouteInput | undefined) => Reply;
  /** A Twilio webhook: a body other than a form needs `bodySHA256`, and control characters in text are replaced, not refused. */
  fromTwilio?: boolean;
}

/** Wraps a route: builds its input, runs its guard, adds its response headers, answers whatever happens. */
export function defineRoute(
  route: Route,
  { guard, headersFor, onRefusal, answerError, fromTwilio = false }: RouteOptions = {},
): FunctionHandler {
  return (context, event, callback) => {
    let input: RouteInput | undefined;
    const respond = (reply: Reply) => callback(null, toFunctionResponse(reply, input && headersFor ? headersFor(input) : {}));
    const run = async (): Promise<Reply> => {
      input = toInput(context, event, fromTwilio);
      guard?.(input);
      // A broken optional setting turns off only the routes that declare they depend on it (never a webhook).
      refuseBroken(input.settings, settingsDisabling(input.settings, context.PATH), context.PATH ?? 'this route');
      return route(input);
    };
    const refuse = async (error: unknown): Promise<Reply> => {
      if (input && onRefusal) await onRefusal(input, error).catch(() => undefined);
      return answerError ? answerError(error, context.PATH, input) : replyForError(error, context.PATH);
    };
    // `refuse` itself failing (an answerError or listener bug) still answers: a bare 500, never silence.
    void run()
      .catch(refuse)
      .then(respond, (error: unknown) => respond(replyForError(error, context.PATH)));
  };
}

/** An API action called by your own systems: requires `Authorization: Bearer <API_TOKEN>`. */
export const apiAction = (route: Route): FunctionHandler =>
  defineRoute(route, {
    guard: (input) => {
      refuseBroken(input.settings, ['API_TOKEN'], 'every API action');
      requireBearerToken(input.header('authorization'), input.settings.apiTokens);
    },
  });

/**
 * An API action that sends or creates, and so honours an `Idempotency-Key` header: a retry with
 * the same key gets the first answer and never sends twice (see ./idempotency.ts).
 */
export const idempotentAction = (policy: IdempotencyPolicy, route: Route): FunctionHandler => apiAction(idempotent(route, policy));

/** An unauthenticated action (health checks). */
export const publicAction = (route: Route): FunctionHandler => defineRoute(route);

/**
 * An action called from your web pages (sign-up, login): browsers only from ALLOWED_ORIGINS,
 * with CORS headers for them on every answer, errors included; plus the bearer token
 * VERIFY_APP_TOKEN when it is set. `onRefusal` hears of every refusal, the guard's included;
 * `conceal` decides what of a refusal the page may see.
 */
export const browserAction = (
  route: Route,
  { onRefusal, conceal }: { onRefusal?: RefusalListener; conceal?: (error: unknown) => unknown } = {},
): FunctionHandler =>
  defineRoute(route, {
    // What an anonymous page may learn: `conceal` swaps a revealing error for a generic one (the listener still hears the real one).
    ...(conceal ? { answerError: (error: unknown, path: string | undefined) => replyForError(conceal(error), path) } : {}),
    guard: (input) => {
      requireAllowedOrigin(input.header('origin'), input.settings.verify.allowedOrigins);
      const { appToken } = input.settings.verify;
      if (appToken) requireBearerToken(input.header('authorization'), appToken);
    },
    headersFor: (input) => corsHeaders(input.header('origin'), input.settings.verify.allowedOrigins),
    onRefusal,
  });

/**
 * A Twilio webhook. Deploy it as `*.protected`: Twilio's gateway checks X-Twilio-Signature
 * before the function runs (and the local gateway does the same), so the route body only ever
 * sees genuine Twilio requests. Their text is kept as sent, control characters replaced (see
 * `fromTwilio`).
 */
export const twilioWebhook = (route: Route): FunctionHandler => defineRoute(route, { fromTwilio: true });
