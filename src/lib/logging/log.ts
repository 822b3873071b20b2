import { redactText } from './redact';

type Level = 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | undefined>;

/**
 * One JSON line per event, phone-like text masked. Callers pass masked identifiers
 * (see `maskPhone`) and never secrets.
 */
export function log(level: Level, event: string, fields: Fields = {}): void {
  const safe: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) safe[key] = typeof value === 'string' ? redactText(value) : value;
  }
  const line = JSON.stringify({ level, event, ...safe });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
