import type { CampaignRequest } from './api';

/** `{{column}}` as the service reads it: letters, digits, `_`, `.`, `-`, spaces inside the braces allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]{1,40})\s*\}\}/g;

/** The `{{column}}` names a text uses, in order, once each. */
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]))];

/** Every column the body or the template variables need. */
export const columnsUsed = (request: Pick<CampaignRequest, 'body' | 'contentVariables'>): string[] => [
  ...new Set([...placeholders(request.body ?? ''), ...Object.values(request.contentVariables ?? {}).flatMap(placeholders)]),
];

/** The columns the message needs that the CSV does not have (the recipient column is not a variable). */
export const missingColumns = (needed: readonly string[], variables: readonly string[]): string[] =>
  needed.filter((name) => !variables.includes(name));
