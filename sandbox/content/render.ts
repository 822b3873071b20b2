import { badRequest } from '../http/errors';
import { MAX_CONTENT_TEXT, type ContentRecord } from './templates';

/** What a template turns into on a Message: its text and its media URLs. */
export interface RenderedContent {
  body: string;
  mediaUrls: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function invalidVariables(detail: string): never {
  // https://www.twilio.com/docs/api/errors/21656
  throw badRequest(21656, `The ContentVariables Parameter is invalid: ${detail}`);
}

/**
 * Parses `ContentVariables`: a JSON object of strings (numbers are taken as their text).
 * Not JSON, not an object, a null / empty value → 400 / 21656; a value over 1,600 characters →
 * 400 / 21658 (https://www.twilio.com/docs/api/errors/21658). Absent or empty → `{}`.
 */
export function parseContentVariables(raw: string | null): Record<string, string> {
  if (raw === null || raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return invalidVariables('not a JSON string');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalidVariables('not a JSON object');
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number') invalidVariables(`variable ${key} is not a string`);
    const text = String(v);
    if (text === '') invalidVariables(`variable ${key} is empty`);
    if (text.length > MAX_CONTENT_TEXT) throw badRequest(21658, `ContentVariables ${key} exceeds the ${MAX_CONTENT_TEXT} character limit`);
    out[key] = text;
  }
  return out;
}

function fill(template: string, values: Readonly<Record<string, string>>, defaults: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name] ?? defaults[name];
    if (value === undefined || value === '') invalidVariables(`no value for {{${name}}}`);
    return value;
  });
}

/**
 * Renders a template for a Message: `{{name}}` placeholders take the ContentVariables value,
 * else the template's default `variables`; a placeholder with neither → 400 / 21656. The text
 * is `twilio/text`'s body, else `twilio/media`'s, else the first type with a `body`; media
 * come from `twilio/media`. Linear in the template's size.
 */
export function renderContent(content: ContentRecord, values: Readonly<Record<string, string>>): RenderedContent {
  const { types, variables } = content;
  const withBody = types['twilio/text'] ?? types['twilio/media'] ?? Object.values(types).find((t) => typeof t.body === 'string');
  const body = typeof withBody?.body === 'string' ? fill(withBody.body, values, variables) : '';
  const media = types['twilio/media']?.media;
  const mediaUrls = Array.isArray(media) ? media.map((url) => fill(String(url), values, variables)) : [];
  return { body, mediaUrls };
}
