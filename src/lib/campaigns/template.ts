/** A recipient's columns, as the CSV or API gave them (the recipient column excluded). */
export type Variables = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]{1,40})\s*\}\}/g;

/** The `{{column}}` names a template uses. */
export const placeholders = (template: string): string[] => [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]))];

/** Fills `{{column}}` placeholders; callers check first that every one has a value (`missingVariables`). */
export const render = (template: string, variables: Variables): string =>
  template.replace(PLACEHOLDER, (_, name: string) => variables[name] ?? '');

/** The placeholders a recipient has no (non-empty) value for. */
export const missingVariables = (names: readonly string[], variables: Variables): string[] => names.filter((name) => !variables[name]);

const OPT_OUT_LANGUAGE = /\b(stop|unsubscribe|opt[ -]?out)\b/i;

/**
 * Marketing texts must say how to stop them (CTIA, and Twilio's messaging policy): "Reply STOP to
 * opt out." is appended unless the body already says how.
 */
export const withOptOutLanguage = (body: string): string =>
  OPT_OUT_LANGUAGE.test(body) ? body : `${body.trimEnd()} Reply STOP to opt out.`;
