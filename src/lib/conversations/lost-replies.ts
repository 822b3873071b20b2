import { optionalString } from '../http/params';
import type { IdempotencyPolicy } from '../runtime/idempotency';
import type { RouteInput } from '../runtime/route';
import type { StoredAnswer } from '../stores/idempotency';
import { conversationsService } from './service';

/** Where a reply's `Attributes` carry the tag of the `Idempotency-Key` it was sent under. */
const TAG_ATTRIBUTE = 'idempotencyKey';
/**
 * How many of a conversation's newest messages are searched for a lost reply: one REST page
 * (the Messages list's `Order=desc`). A reply lost and retried within its key's lease is among
 * them unless the thread got more messages than this in the meantime.
 */
const RECENT_MESSAGES = 50;
/** Twilio dates a message to the second, by its own clock: messages a little older than the claim still count. */
const CLOCK_MARGIN_MS = 5 * 60_000;

/** A reply's `Attributes` carrying `tag` (JSON text, as Twilio stores it). */
export const tagAttributes = (tag: string): string => JSON.stringify({ [TAG_ATTRIBUTE]: tag });

function tagOf(attributes: string | null | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(attributes ?? '');
    const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[TAG_ATTRIBUTE] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A reply whose outcome was lost (the Function stopped after Twilio created the message): the
 * message it tagged with its key, among the conversation's newest, answered as reconciled; the
 * first one, should there be several. Undefined when none is there (nothing was sent) or the
 * request names no conversation (it never reached Twilio).
 */
async function findLostReply(input: RouteInput, tag: string, since: number): Promise<StoredAnswer | undefined> {
  const conversationSid = optionalString(input.params, 'conversationSid', { maxLength: 64 });
  if (!conversationSid || !/^CH[0-9a-f]{32}$/.test(conversationSid)) return undefined;
  const { service } = conversationsService(input);
  const recent = await service.conversations(conversationSid).messages.list({ order: 'desc', limit: RECENT_MESSAGES });
  const tagged = recent.filter((m) => tagOf(m.attributes) === tag && m.dateCreated.getTime() >= since - CLOCK_MARGIN_MS);
  const first = tagged.at(-1);
  if (!first) return undefined;
  return { status: 200, body: { conversationSid, messageSid: first.sid, index: first.index, reconciled: true } };
}

/** POST /conversations/reply's Idempotency-Key: it texts (sms/whatsapp), and a lost reply is found by its tag. */
export const REPLY_IDEMPOTENCY: IdempotencyPolicy = { sends: 'sms', reconcile: findLostReply };
