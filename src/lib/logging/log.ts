import { AppError } from '../errors/app-error';
import { redactText } from './redact';

type Level = 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | undefined>;

/** The longest text a log field keeps: a log line never carries a whole request. */
const MAX_FIELD = 300;

/**
 * Fields that hold what people wrote or said (or who they are beyond a masked number), by name,
 * case and separators ignored. Twilio keeps Functions logs outside the BAA's content controls and
 * advises keeping PHI out of them (https://twil.io/architecting-for-hipaa), so in PHI mode such a
 * field never reaches the log whatever a caller passes: only its length does.
 */
const CONTENT_FIELDS = new Set([
  'body',
  'text',
  'message',
  'content',
  'transcript',
  'transcription',
  'transcriptiontext',
  'said',
  'reply',
  'media',
  'mediaurl',
  'profilename',
  'caller',
  'from',
]);

const isContentField = (name: string): boolean => CONTENT_FIELDS.has(name.toLowerCase().replace(/[^a-z]/g, ''));

let withholdContent = false;

/**
 * Sets the process's content policy from PHI_MODE (read with the settings of each invocation):
 * when on, content fields are withheld from every log line.
 */
export function withholdContentInLogs(on: boolean): void {
  withholdContent = on;
}

const bounded = (value: string): string =>
  value.length > MAX_FIELD ? `${value.slice(0, MAX_FIELD)}… (${value.length} characters)` : value;

/** A field's value as logged: content withheld in PHI mode, text bounded and phone-like runs masked. */
function loggedValue(key: string, value: string | number | boolean): string | number | boolean {
  if (withholdContent && isContentField(key)) return typeof value === 'string' ? `(withheld: ${value.length} characters)` : '(withheld)';
  return typeof value === 'string' ? redactText(bounded(value)) : value;
}

/**
 * One JSON line per event, phone-like text masked. Callers pass masked identifiers
 * (see `maskPhone`) and never secrets.
 */
export function log(level: Level, event: string, fields: Fields = {}): void {
  const safe: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) safe[key] = loggedValue(key, value);
  }
  const line = JSON.stringify({ level, event, ...safe });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** An error as one log field: its message, or the value as text (callers never log stacks). */
export const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Why something failed, as one log field: our error's stable code, else the message. */
export const reasonOf = (error: unknown): string => (error instanceof AppError ? error.code : describeError(error));
