import { badRequest } from '../errors/app-error';

/** Request parameters as the Functions runtime delivers them: query, form and JSON merged. */
export type Params = Readonly<Record<string, unknown>>;

/** Control characters other than tab and line breaks, and the non-characters U+FFFE/U+FFFF: never text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/;

/** The same characters, every one of them (for replacing rather than refusing). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_TEXT_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;

/**
 * How deep parameters may nest (objects and arrays). No route reads past 3 levels; a body
 * thousands of levels deep would only cost stack and time in every walk over it.
 */
export const MAX_NESTING = 32;

/**
 * Refuses parameters nested deeper than MAX_NESTING with 400 `too_deeply_nested`. Iterative, and
 * it stops at the first level too deep, so the check itself costs no stack whatever it is given.
 */
export function checkNesting(params: Params): void {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: params, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_NESTING) throw badRequest('too_deeply_nested', `The parameters nest more than ${MAX_NESTING} levels deep`);
    for (const item of Object.values(value)) if (typeof item === 'object' && item !== null) pending.push({ value: item, depth: depth + 1 });
  }
}

/**
 * Text as Twilio relayed it, made safe to keep, forward and answer in TwiML: lone surrogates and
 * control characters (other than tab and line breaks) become U+FFFD, the replacement character,
 * so a person's SMS with a stray `\f` or BEL is read (a `STOP\u0007` still stops), never refused.
 */
const replaceNonText = (value: string): string => value.toWellFormed().replace(NOT_TEXT_ALL, '\uFFFD');

/** Every string of a Twilio webhook's parameters (top level, or in a repeated field) passed through replaceNonText. */
export function withTextReplaced(params: Params): Params {
  const replaced = (value: unknown): unknown =>
    typeof value === 'string' ? replaceNonText(value) : Array.isArray(value) ? value.map(replaced) : value;
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, replaced(value)]));
}

/**
 * Refuses what no text needs and what breaks TwiML, JSON or logs downstream: lone UTF-16
 * surrogates, NUL and other control characters. Checked after the length, so the scan is bounded.
 */
function checkText(name: string, value: string): string {
  if (!value.isWellFormed() || NOT_TEXT.test(value))
    throw badRequest('invalid_parameter', `"${name}" contains characters that are not text`);
  return value;
}

/** A single string parameter, trimmed; arrays and objects are refused rather than guessed at. */
export function optionalString(params: Params, name: string, { maxLength = 10_000 } = {}): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw badRequest('invalid_parameter', `"${name}" must be a single string`);
  const trimmed = value.trim();
  if (trimmed.length > maxLength) {
    throw badRequest('invalid_parameter', `"${name}" is longer than ${maxLength} characters`);
  }
  return trimmed === '' ? undefined : checkText(name, trimmed);
}

/**
 * A phone number parameter. In a query string a bare `+` means a space, so
 * `?number=+14155550142` arrives as ` 14155550142`: a leading space before a digit is read back
 * as the `+` the caller wrote.
 */
export function requiredPhone(params: Params, name: string): string {
  const raw = params[name];
  const restored = typeof raw === 'string' && /^ +\d/.test(raw) ? `+${raw.trimStart()}` : raw;
  return requiredString({ [name]: restored }, name, { maxLength: 64 });
}

export function requiredString(params: Params, name: string, options?: { maxLength?: number }): string {
  const value = optionalString(params, name, options);
  if (value === undefined) throw badRequest('missing_parameter', `"${name}" is required`);
  return value;
}

/** One or many strings (a JSON array, a repeated form field, or a single value), at most `maxItems` of `maxLength`. */
export function stringList(params: Params, name: string, { maxItems = 20, maxLength = 2048 } = {}): string[] {
  const value = params[name];
  if (value === undefined || value === null || value === '') return [];
  const values = Array.isArray(value) ? value : [value];
  if (values.length > maxItems) throw badRequest('invalid_parameter', `"${name}" has more than ${maxItems} items`);
  if (!values.every((item): item is string => typeof item === 'string')) {
    throw badRequest('invalid_parameter', `"${name}" must be a string or a list of strings`);
  }
  return values.map((item) => optionalString({ [name]: item }, name, { maxLength }) ?? '').filter((item) => item !== '');
}

export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw badRequest('invalid_parameter', `"${name}" must be true or false`);
}

/** A count parameter (`limit`, `hours`, ...): a whole number from 1 to `max`, `fallback` when absent. */
export function readCount(params: Params, name: string, fallback: number, max: number): number {
  const value = optionalString(params, name, { maxLength: 6 });
  if (value === undefined) return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > max)
    throw badRequest('invalid_parameter', `"${name}" must be a whole number from 1 to ${max}`);
  return count;
}

/** A `limit` query parameter: a whole number from 1 to `max`, `fallback` when absent. */
export const readLimit = (params: Params, fallback: number, max: number): number => readCount(params, 'limit', fallback, max);
