import { badRequest } from '../http/errors';
import { intParam, methodParam } from '../http/form';
import { isAbsoluteHttpUrl } from '../http/urls';
import type { CallEvent, StatusCallbackConfig } from './calls';
import type { OutboundStart } from './call-lifecycle';
import { MAGIC_CALL_FROM, MAGIC_CALL_TO, MAGIC_CALL_VALID_FROM } from './magic';
import type { HttpMethod } from './walk-context';

const E164 = /^\+[1-9]\d{6,14}$/;
const EVENTS: readonly CallEvent[] = ['initiated', 'ringing', 'answered', 'completed'];
/** Twilio's ring timeout: default 60 s, at most 600 s. */
const DEFAULT_TIMEOUT = 60;
const MAX_TIMEOUT = 600;
/** Twilio's limit on the Twiml parameter. */
const MAX_TWIML_CHARS = 4000;

export interface CreateCall extends OutboundStart {
  to: string;
  from: string;
  statusCallback: StatusCallbackConfig | null;
  timeoutSeconds: number;
}

const httpMethod = (form: URLSearchParams, name: string): HttpMethod => methodParam(form, name, 21403) ?? 'POST';

function validUrl(raw: string, code: number, name: string): string {
  if (isAbsoluteHttpUrl(raw)) return raw;
  throw badRequest(code, `${name} is not a valid URL: ${raw}`);
}

/**
 * Validates a Calls create (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource):
 * To / From, the magic numbers, Url or Twiml (Url wins when both are given, as the spec says),
 * Method, FallbackUrl + FallbackMethod, StatusCallback + StatusCallbackEvent (default `completed`),
 * MachineDetection, Timeout.
 */
export function parseCreateCall(form: URLSearchParams, ownsNumber: (n: string) => boolean): CreateCall {
  const to = form.get('To') ?? '';
  const from = form.get('From') ?? '';
  if (to === '') throw badRequest(21201, "No 'To' number is specified");
  if (from === '') throw badRequest(21213, "No 'From' number is specified");
  const magicFrom = MAGIC_CALL_FROM[from];
  if (magicFrom) throw badRequest(magicFrom.code, magicFrom.message);
  const magicTo = MAGIC_CALL_TO[to];
  if (magicTo) throw badRequest(magicTo.code, magicTo.message);
  if (!E164.test(to)) throw badRequest(21211, `Invalid 'To' Phone Number: ${to}`);
  if (from !== MAGIC_CALL_VALID_FROM && !ownsNumber(from)) {
    throw badRequest(
      21210,
      `The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`,
    );
  }

  const url = form.get('Url') ?? '';
  const twiml = form.get('Twiml') ?? '';
  let start: OutboundStart['start'];
  if (url !== '') start = { url: validUrl(url, 21205, 'Url'), method: httpMethod(form, 'Method') };
  else if (twiml !== '') {
    if (twiml.length > MAX_TWIML_CHARS) throw badRequest(21205, `Twiml is longer than ${MAX_TWIML_CHARS} characters`);
    start = { twiml };
  } else throw badRequest(21205, "A 'Url', 'Twiml' or 'ApplicationSid' parameter is required to create a call");

  const fallbackUrl = form.get('FallbackUrl') ?? '';
  const fallback =
    fallbackUrl === '' ? null : { url: validUrl(fallbackUrl, 21205, 'FallbackUrl'), method: httpMethod(form, 'FallbackMethod') };

  const callbackUrl = form.get('StatusCallback') ?? '';
  const requested = form
    .getAll('StatusCallbackEvent')
    .flatMap((e) => e.split(/\s+/))
    .filter((e) => e !== '');
  const unknown = requested.find((e) => !EVENTS.includes(e as CallEvent));
  if (unknown !== undefined) throw badRequest(20001, `Invalid StatusCallbackEvent: ${unknown}`);
  const statusCallback: StatusCallbackConfig | null =
    callbackUrl === ''
      ? null
      : {
          url: validUrl(callbackUrl, 21609, 'StatusCallback'),
          method: httpMethod(form, 'StatusCallbackMethod'),
          events: new Set<CallEvent>(requested.length > 0 ? (requested as CallEvent[]) : ['completed']),
        };

  const detection = form.get('MachineDetection') ?? '';
  if (detection !== '' && detection !== 'Enable' && detection !== 'DetectMessageEnd')
    throw badRequest(20001, `Invalid MachineDetection: ${detection} (Enable or DetectMessageEnd)`);
  const timeout = intParam(form, 'Timeout') ?? DEFAULT_TIMEOUT;
  if (timeout < 1) throw badRequest(20001, `Invalid Timeout: ${timeout}`);

  return {
    to,
    from,
    start,
    fallback,
    statusCallback,
    machineDetection: detection === '' ? null : detection,
    timeoutSeconds: Math.min(timeout, MAX_TIMEOUT),
  };
}
