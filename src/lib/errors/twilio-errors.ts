import { AppError } from './app-error';

/** The shape of twilio-node's RestException, matched structurally (the runtime may load its own copy). */
export interface TwilioRestError {
  status: number;
  code?: number;
  message: string;
  moreInfo?: string;
}

export function isTwilioRestError(err: unknown): err is TwilioRestError {
  if (typeof err !== 'object' || err === null) return false;
  const candidate = err as Partial<TwilioRestError>;
  return typeof candidate.status === 'number' && typeof candidate.message === 'string' && 'moreInfo' in candidate;
}

interface Mapping {
  status: number;
  code: string;
  message: string;
}

/**
 * Twilio error codes the product answers with its own clear error. Everything not listed keeps
 * Twilio's code and message (see `fromTwilioError`).
 */
const TWILIO_ERRORS: Readonly<Record<number, Mapping>> = {
  20003: {
    status: 502,
    code: 'twilio_auth_failed',
    message: 'Twilio rejected our credentials; check ACCOUNT_SID/AUTH_TOKEN or API_KEY/API_SECRET',
  },
  20429: { status: 503, code: 'twilio_busy', message: 'Twilio is handling too many concurrent requests; try again shortly' },
  21211: { status: 400, code: 'invalid_number', message: 'The destination is not a valid phone number' },
  21408: { status: 400, code: 'region_not_enabled', message: 'Sending to this region is not enabled on the Twilio account' },
  21610: { status: 409, code: 'opted_out', message: 'The recipient has opted out (replied STOP) and cannot be messaged' },
  21612: { status: 400, code: 'unroutable', message: 'Twilio cannot route a message to this number' },
  21614: { status: 400, code: 'not_mobile', message: 'The destination is not a mobile number that can receive SMS' },
  54009: { status: 503, code: 'sync_rate_limited', message: 'State storage is busy; try again shortly' },
  // Verify
  60200: { status: 400, code: 'invalid_destination', message: 'Twilio Verify refused the destination or a parameter as invalid' },
  60202: { status: 429, code: 'max_attempts_reached', message: 'Too many wrong codes for this verification; start a new one' },
  60203: { status: 429, code: 'too_many_sends', message: 'Too many codes sent to this destination; wait before asking again' },
  60205: { status: 400, code: 'landline', message: 'This number is a landline and cannot receive SMS; use channel "call"' },
  60212: {
    status: 429,
    code: 'too_many_concurrent_requests',
    message: 'Too many verification requests for this number at once; try again shortly',
  },
  60223: { status: 400, code: 'channel_disabled', message: 'This delivery channel is disabled on the Verify service' },
  60410: { status: 403, code: 'blocked_by_fraud_guard', message: "Twilio's Fraud Guard blocked delivery to this number" },
  60605: {
    status: 403,
    code: 'country_blocked',
    message: 'Verification delivery to this country is blocked by the account geo permissions',
  },
  // WhatsApp
  63016: {
    status: 409,
    code: 'outside_session_window',
    message: 'The user has not written in the last 24 hours: send an approved template (contentSid) instead',
  },
  63018: { status: 429, code: 'whatsapp_rate_limited', message: 'The WhatsApp sender is over its rate limit; try again shortly' },
  63021: {
    status: 400,
    code: 'invalid_content',
    message: 'WhatsApp refused the message content (too long or malformed template variables)',
  },
  63025: { status: 409, code: 'media_already_exists', message: 'WhatsApp already has this media; it was not sent again' },
  63038: { status: 429, code: 'daily_limit_reached', message: 'The WhatsApp sender reached its daily message limit' },
  63032: { status: 400, code: 'user_unreachable', message: 'This WhatsApp user cannot be reached' },
  63003: { status: 400, code: 'user_unreachable', message: 'This WhatsApp user cannot be reached' },
};

/**
 * Twilio's "not now" answers: the request was refused before anything was carried out, so it is
 * safe to send again after a pause, whatever it was.
 */
const BUSY_TWILIO_CODES: ReadonlySet<number> = new Set([20429, 54009, 63018]);

/** Network failures that mean the request never reached Twilio (the connection was never made). */
const NEVER_ARRIVED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Network failures after the request may have arrived: the answer was lost, not necessarily the work. */
const CONNECTION_LOST: ReadonlySet<string> = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** The `code` of a Node or axios network error (`ECONNREFUSED`, …), if it is one. */
function networkCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || isTwilioRestError(err)) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The request surely was not carried out: Twilio said "too many requests" (429, 20429, Sync's
 * 54009, WhatsApp's 63018) or the connection was refused. The only failures after which a create
 * that could duplicate (a message, a call, a verification) may be sent again.
 */
export function isRetryableTwilioError(err: unknown): boolean {
  const network = networkCode(err);
  if (network !== undefined) return NEVER_ARRIVED.has(network);
  if (!isTwilioRestError(err)) return false;
  return err.status === 429 || (err.code !== undefined && BUSY_TWILIO_CODES.has(err.code));
}

/**
 * A failure worth another try of a request that is safe to repeat (a read, a conditional write, a
 * create of a known key, a delete): everything `isRetryableTwilioError` covers, Twilio's 5xx
 * answers (20500-class codes), and a connection reset or timed out, which may have lost only the answer.
 */
export function isTransientTwilioError(err: unknown): boolean {
  if (isRetryableTwilioError(err)) return true;
  const network = networkCode(err);
  if (network !== undefined) return CONNECTION_LOST.has(network);
  if (!isTwilioRestError(err)) return false;
  return err.status >= 500 || (err.code !== undefined && err.code >= 20500 && err.code < 20600);
}

/** The one mapping from a Twilio REST error to the product's error type. */
export function fromTwilioError(err: TwilioRestError): AppError {
  const mapped = err.code === undefined ? undefined : TWILIO_ERRORS[err.code];
  if (mapped) {
    return new AppError(mapped.status, mapped.code, mapped.message, { twilioCode: err.code, cause: err });
  }
  const status = err.status >= 400 && err.status < 500 && err.status !== 401 ? err.status : 502;
  return new AppError(status, 'twilio_error', `Twilio refused the request: ${err.message}`, {
    twilioCode: err.code,
    cause: err,
  });
}
