import { AppError } from '../errors/app-error';
import { redactText } from './redact';

type Level = 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | undefined>;

/**
 * One JSON line per event, phone-like text masked. Callers pass masked identifiers
 * (see `maskPhone`) and never secrets.
 */
/** The longest text a log field keeps: a log line never carries a whole request. */
const MAX_FIELD = 300;

const bounded = (value: string): string =>
  value.length > MAX_FIELD ? `${value.slice(0, MAX_FIELD)}… (${value.length} characters)` : value;

export function log(level: Level, event: string, fields: Fields = {}): void {
  const safe: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) safe[key] = typeof value === 'string' ? redactText(bounded(value)) : value;
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
