import type { WebhookFailure } from './failure-codes';
import type { AttemptAnswer } from './http-attempt';

/**
 * Webhook connection overrides (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides):
 * a URL fragment such as `#ct=1000&rt=3000&tt=8000&rc=2&rp=ct,rt,5xx` sets, for that URL only,
 * the connect timeout, read timeout, total time, retry count and retry policy. A fragment is
 * never sent over HTTP.
 */

/** What a retry is made for: connection failure, read timeout, a 4xx or a 5xx answer. */
export type RetryCondition = 'ct' | 'rt' | '4xx' | '5xx';

/** Timers of a delivery without overrides, in milliseconds. */
export interface WebhookTimeouts {
  connectMs: number;
  readMs: number;
  totalMs: number;
}

/**
 * Twilio's defaults from the overrides page: ct 5000, rt 15000, tt 15000 (the 11205 page: 15 s
 * in all for an answer, the TCP connection included; 31408: the same 15 s for call requests).
 */
export const TWILIO_WEBHOOK_TIMEOUTS: Readonly<WebhookTimeouts> = { connectMs: 5000, readMs: 15_000, totalMs: 15_000 };

/**
 * Retries without overrides: rc defaults to 1, and the 11202 page says Twilio's two connection
 * attempts were refused, so by default the one retry is made on a connection failure.
 */
const DEFAULT_RETRY_COUNT = 1;
const DEFAULT_RETRY_POLICY: readonly RetryCondition[] = ['ct'];

interface ConnectionSettings {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  totalTimeoutMs: number;
  /** Retries after the first attempt (0–5). */
  retryCount: number;
  retryPolicy: ReadonlySet<RetryCondition>;
  /** The URL set `tt`: running out of total time is then 11203 rather than 11205. */
  totalTimeoutSet: boolean;
}

export interface WebhookUrl {
  /** The URL without its fragment: what is requested and signed. */
  url: string;
  /** The fragment as written (without `#`), or `null`. */
  fragment: string | null;
  settings: ConnectionSettings;
  /** Overrides ignored, and why. */
  warnings: string[];
  /** Set when Twilio refuses the overrides (11243): the request is not made. */
  error?: WebhookFailure;
}

/** Documented ranges (milliseconds, or a count for rc). */
const RANGES = {
  ct: { min: 100, max: 10_000 },
  rt: { min: 100, max: 15_000 },
  tt: { min: 100, max: 15_000 },
  rc: { min: 0, max: 5 },
} as const;
type NumericOverride = keyof typeof RANGES;

const RETRY_CONDITIONS: readonly RetryCondition[] = ['ct', 'rt', '4xx', '5xx'];
/** Accepted but without effect in the sandbox (one machine, no Twilio edges, plain local TLS). */
const NOT_EMULATED = new Set(['e', 'sni']);

function isNumericOverride(key: string): key is NumericOverride {
  return key in RANGES;
}

/** `rp`'s comma-separated conditions (`all` = every one), or `null` when one is unknown (11243). */
function readRetryPolicy(raw: string): Set<RetryCondition> | null {
  const policy = new Set<RetryCondition>();
  for (const item of raw.split(',').map((part) => part.trim())) {
    if (item === 'all') RETRY_CONDITIONS.forEach((condition) => policy.add(condition));
    else if ((RETRY_CONDITIONS as readonly string[]).includes(item)) policy.add(item as RetryCondition);
    else return null;
  }
  return policy;
}

function defaultSettings(defaults: WebhookTimeouts): ConnectionSettings {
  return {
    connectTimeoutMs: defaults.connectMs,
    readTimeoutMs: defaults.readMs,
    totalTimeoutMs: defaults.totalMs,
    retryCount: DEFAULT_RETRY_COUNT,
    retryPolicy: new Set(DEFAULT_RETRY_POLICY),
    totalTimeoutSet: false,
  };
}

function applyNumeric(settings: ConnectionSettings, key: NumericOverride, value: number): void {
  if (key === 'ct') settings.connectTimeoutMs = value;
  else if (key === 'rt') settings.readTimeoutMs = value;
  else if (key === 'rc') settings.retryCount = value;
  else {
    settings.totalTimeoutMs = value;
    settings.totalTimeoutSet = true;
  }
}

/**
 * Splits a webhook URL into the URL to request and its connection settings. A number outside its
 * documented range (or not a whole number) is ignored with a warning and the default kept: Twilio
 * documents no error code for it (the sandbox's choice). An unknown retry policy is Twilio's 11243
 * "HTTP retry policy is invalid" (https://www.twilio.com/docs/api/errors/11243), an error: the
 * sandbox then makes no request (its choice; the page does not say whether Twilio still sends it).
 */
export function readWebhookUrl(raw: string, defaults: WebhookTimeouts = TWILIO_WEBHOOK_TIMEOUTS): WebhookUrl {
  const hash = raw.indexOf('#');
  const settings = defaultSettings(defaults);
  if (hash < 0) return { url: raw, fragment: null, settings, warnings: [] };
  const fragment = raw.slice(hash + 1);
  const parsed: WebhookUrl = { url: raw.slice(0, hash), fragment, settings, warnings: [] };
  for (const pair of fragment.split('&').filter((part) => part !== '')) {
    const [key, value = ''] = pair.split('=', 2);
    if (isNumericOverride(key)) {
      const { min, max } = RANGES[key];
      const number = /^\d+$/.test(value) ? Number(value) : NaN;
      if (number >= min && number <= max) applyNumeric(settings, key, number);
      else parsed.warnings.push(`${key}=${value} is not a whole number from ${min} to ${max}: ignored`);
    } else if (key === 'rp') {
      const policy = readRetryPolicy(value);
      if (policy) settings.retryPolicy = policy;
      else parsed.error = { code: 11243, message: `HTTP retry policy is invalid: rp=${value} (ct, rt, 4xx, 5xx or all)` };
    } else if (NOT_EMULATED.has(key)) {
      parsed.warnings.push(`${key}=${value} is accepted but not emulated by the sandbox`);
    } else {
      parsed.warnings.push(`${pair} is not a connection override: ignored`);
    }
  }
  return parsed;
}

/**
 * The retry condition a failed attempt meets: `ct` for a connection that could not be made
 * (refused, timed out, unknown host, cut before an answer), `rt` for no answer in time, `4xx` /
 * `5xx` for such an answer; `null` for a 2xx answer, another status or the total time running out.
 */
export function retryConditionOf(answer: AttemptAnswer): RetryCondition | null {
  switch (answer.failure) {
    case 'connect-refused':
    case 'connect-timeout':
    case 'bad-host':
    case 'network':
      return 'ct';
    case 'read-timeout':
      return 'rt';
    case 'total-timeout':
      return null;
    default:
      break;
  }
  if (answer.status !== null && answer.status >= 400 && answer.status < 500) return '4xx';
  if (answer.status !== null && answer.status >= 500 && answer.status < 600) return '5xx';
  return null;
}
