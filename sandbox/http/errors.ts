/** Twilio's error body and the one error type every handler throws. */

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** A Twilio REST error: HTTP status + Twilio error code + message. Handlers throw it. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  toBody(): TwilioErrorBody {
    return twilioErrorBody(this.status, this.code, this.message);
  }
}

export function twilioErrorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export function badRequest(code: number, message: string): TwilioApiError {
  return new TwilioApiError(400, code, message);
}

/** A form parameter that must be there and not empty: Twilio's 20001 otherwise (https://www.twilio.com/docs/api/errors/20001). */
export function requiredParam(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw badRequest(20001, `Missing required parameter ${name} in the post body`);
  return value;
}

/** 20404, Twilio's generic "resource not found". */
export function resourceNotFound(path: string): TwilioApiError {
  return new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
}

/** 20003, what Twilio answers to missing or wrong credentials. */
export function authenticationFailed(): TwilioApiError {
  return new TwilioApiError(401, 20003, 'Authenticate');
}

/** 20004, an HTTP method the resource does not support. */
export function methodNotAllowed(method: string): TwilioApiError {
  return new TwilioApiError(405, 20004, `Method ${method} not allowed`);
}
