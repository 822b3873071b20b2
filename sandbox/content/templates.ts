import type { Clock } from '../clock';
import { iso8601 } from '../dates';
import { badRequest, TwilioApiError } from '../http/errors';
import { isSid, newSid } from '../sids';

export const CONTENT_BASE_URL = 'https://content.twilio.com/v1';

/** The content types of the spec's `types` schema (twilio_content_v1.json). */
const CONTENT_TYPES = [
  'twilio/text',
  'twilio/media',
  'twilio/location',
  'twilio/list-picker',
  'twilio/call-to-action',
  'twilio/quick-reply',
  'twilio/card',
  'twilio/catalog',
  'twilio/carousel',
  'twilio/flows',
  'twilio/schedule',
  'whatsapp/card',
  'whatsapp/authentication',
  'whatsapp/flows',
] as const;

/** Types that cannot start a business-initiated WhatsApp conversation (the 63016 page). */
const SESSION_ONLY_TYPES: ReadonlySet<string> = new Set(['twilio/list-picker', 'twilio/location']);

/** Body and variable values: up to 1,600 characters (https://www.twilio.com/docs/api/errors/21658). */
export const MAX_CONTENT_TEXT = 1600;

export interface ContentRecord {
  readonly sid: string;
  /** Creation order; list order and page cursors use it. */
  readonly seq: number;
  readonly friendlyName: string;
  readonly language: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly types: Readonly<Record<string, Record<string, unknown>>>;
  readonly dateCreated: number;
  readonly dateUpdated: number;
}

export interface NewContent {
  sid?: string;
  friendlyName: string;
  language: string;
  variables: Record<string, string>;
  types: Record<string, Record<string, unknown>>;
}

/** The account's Content templates, in memory; O(1) by SID. */
export class ContentStore {
  private readonly bySid = new Map<string, ContentRecord>();
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  add(init: NewContent): ContentRecord {
    const sid = init.sid ?? newSid('HX');
    if (!isSid(sid, 'HX')) throw new RangeError(`content sid must be HX + 32 hex digits, got ${sid}`);
    if (this.bySid.has(sid)) throw new RangeError(`content sid ${sid} is given twice`);
    const now = this.clock.now();
    const record: ContentRecord = { ...init, sid, seq: ++this.seq, dateCreated: now, dateUpdated: now };
    this.bySid.set(sid, record);
    return record;
  }

  get(sid: string): ContentRecord | undefined {
    return this.bySid.get(sid);
  }

  delete(sid: string): boolean {
    return this.bySid.delete(sid);
  }

  /** In creation order. */
  all(): ContentRecord[] {
    return [...this.bySid.values()];
  }
}

/** True when the template may open a WhatsApp conversation outside the 24-hour window. */
export function canStartConversation(content: ContentRecord): boolean {
  return Object.keys(content.types).some((type) => !SESSION_ONLY_TYPES.has(type));
}

function contentUrl(sid: string): string {
  return `${CONTENT_BASE_URL}/Content/${sid}`;
}

/** The Content resource as Content v1 serializes it. */
export function contentResource(accountSid: string, c: ContentRecord): Record<string, unknown> {
  const url = contentUrl(c.sid);
  return {
    account_sid: accountSid,
    date_created: iso8601(c.dateCreated),
    date_updated: iso8601(c.dateUpdated),
    friendly_name: c.friendlyName,
    language: c.language,
    links: { approval_create: `${url}/ApprovalRequests/whatsapp`, approval_fetch: `${url}/ApprovalRequests` },
    sid: c.sid,
    types: c.types,
    url,
    variables: c.variables,
  };
}

/** 400 / 20001: the sandbox's code for a malformed create body (Twilio documents none). */
function invalid(message: string): TwilioApiError {
  return badRequest(20001, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readType(name: string, value: unknown): Record<string, unknown> {
  if (!(CONTENT_TYPES as readonly string[]).includes(name)) throw invalid(`Invalid content type: ${name}`);
  if (!isObject(value)) throw invalid(`types.${name} must be an object`);
  const body = value.body;
  if (body !== undefined && typeof body !== 'string') throw invalid(`types.${name}.body must be a string`);
  if (typeof body === 'string' && body.length > MAX_CONTENT_TEXT) {
    throw badRequest(21658, `types.${name}.body exceeds the ${MAX_CONTENT_TEXT} character limit`);
  }
  if (name === 'twilio/text' && (typeof body !== 'string' || body === '')) throw invalid('types.twilio/text.body is required');
  if (name === 'twilio/media') {
    const media = value.media;
    if (!Array.isArray(media) || media.length === 0 || !media.every((m) => typeof m === 'string' && m !== '')) {
      throw invalid('types.twilio/media.media must be a non-empty array of URLs');
    }
  }
  return value;
}

/**
 * Validates a `POST /v1/Content` JSON body (the spec's ContentCreateRequest: `language` and
 * `types` required, `friendly_name` and `variables` optional) into a new template.
 */
export function parseCreateContent(raw: string): NewContent {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw invalid('The request body is not valid JSON');
  }
  if (!isObject(body)) throw invalid('The request body must be a JSON object');
  const { friendly_name: friendlyName = '', language, variables = {}, types } = body;
  if (typeof friendlyName !== 'string') throw invalid('friendly_name must be a string');
  if (typeof language !== 'string' || language === '') throw invalid('Missing required parameter language');
  if (!isObject(types) || Object.keys(types).length === 0) throw invalid('Missing required parameter types');
  if (!isObject(variables) || !Object.values(variables).every((v) => typeof v === 'string')) {
    throw invalid('variables must be an object of strings');
  }
  const checked: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(types)) checked[name] = readType(name, value);
  return { friendlyName, language, variables: variables as Record<string, string>, types: checked };
}
