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

/**
 * Real opt-out instructions: a verb and the keyword ("Reply STOP", "Text STOP to 12345", "reply
 * UNSUBSCRIBE"), or the keyword in capitals and what it does ("STOP to opt out", "END to
 * unsubscribe"). A word that only says stop ("Non-stop deals", "Stop by today") is none. The
 * keywords are Twilio's opt-out words.
 */
const REPLY_KEYWORD =
  /\b(?:reply|replying|text|txt|send|respond|answer|msg)(?: with)?[\s:]+["'\u201c]?(?:STOP|STOPALL|UNSUBSCRIBE|CANCEL|END|QUIT|OPTOUT|REVOKE)\b/i;
const KEYWORD_TO =
  /\b(STOP|STOPALL|UNSUBSCRIBE|CANCEL|END|QUIT|OPTOUT|REVOKE)["'\u201d]?\s+(?:to|2)\s+(?:opt[ -]?out|unsubscribe|stop|end|cancel|quit)\b/gi;

/** Whether a body tells its reader how to opt out; for the second form, only with the keyword in capitals. */
const hasOptOutInstructions = (body: string): boolean =>
  REPLY_KEYWORD.test(body) || [...body.matchAll(KEYWORD_TO)].some(([, word]) => word === word.toUpperCase());

/**
 * Marketing texts must say how to stop them (CTIA, and Twilio's messaging policy): "Reply STOP to
 * opt out." is appended unless the body already carries real opt-out instructions.
 */
export const withOptOutLanguage = (body: string): string =>
  hasOptOutInstructions(body) ? body : `${body.trimEnd()} Reply STOP to opt out.`;
