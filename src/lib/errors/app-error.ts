/** Extra facts an error may carry to the caller. */
export interface AppErrorOptions {
  /** Seconds after which the caller may try again; sent as `Retry-After` and `retryAfter`. */
  retryAfterSeconds?: number;
  /** The Twilio error code behind this error, when there is one. */
  twilioCode?: number;
  /** Small, safe, machine-readable details (never secrets or full phone numbers). */
  details?: Record<string, unknown>;
  /** Fields placed beside `error` at the top of the body (e.g. `valid: false` of a code check). */
  beside?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type of the product: an HTTP status, a stable machine code and a human
 * message. Anything else that is thrown is a bug and becomes a generic 500.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterSeconds?: number;
  readonly twilioCode?: number;
  readonly details?: Record<string, unknown>;
  readonly beside?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.twilioCode = options.twilioCode;
    this.details = options.details;
    this.beside = options.beside;
  }

  /** The JSON body callers receive: `{ error: { code, message, ... } }`. */
  toBody(): { error: Record<string, unknown> } {
    return {
      ...this.beside,
      error: {
        code: this.code,
        message: this.message,
        ...(this.twilioCode === undefined ? {} : { twilioCode: this.twilioCode }),
        ...(this.retryAfterSeconds === undefined ? {} : { retryAfter: this.retryAfterSeconds }),
        ...(this.details ?? {}),
      },
    };
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, { details });
