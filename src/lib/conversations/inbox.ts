import { badRequest } from '../errors/app-error';
import { optionalString, readLimit } from '../http/params';
import { json, type Reply } from '../http/reply';
import type { RouteInput } from '../runtime/route';
import { describeConsent, type ConsentRecord } from '../stores/consent';
import { participantsOf } from './participants';
import { conversationsService } from './service';

/** Conversations per page: 20 by default, 50 at most (each costs two REST reads and a consent read per messaging participant). */
const DEFAULT_PAGE = 20;
const MAX_PAGE = 50;
/** The most recent conversations the inbox orders (one REST list, newest first after sorting): a bound on every request's work. */
const SCAN_LIMIT = 500;

/** A place in the order (activity time, then SID), opaque to callers. */
interface Cursor {
  at: number;
  sid: string;
}

const encodeCursor = (cursor: Cursor): string => Buffer.from(`${cursor.at}.${cursor.sid}`).toString('base64url');

function decodeCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{1,15})\.(CH[0-9a-f]{32})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw badRequest('invalid_parameter', '"cursor" is not a cursor this route gave');
  return { at: Number(match[1]), sid: match[2] };
}

/** Newest activity first; the SID breaks ties, so a cursor names one place. */
const before = (a: Cursor, b: Cursor): boolean => a.at > b.at || (a.at === b.at && a.sid > b.sid);

/**
 * GET /conversations/inbox?limit=&cursor=: open (not closed) conversations, newest activity
 * first (the conversation's `date_updated`), each with its last message and its participants
 * (a messaging one with its channel, number and consent on that channel), one page at a time,
 * `nextCursor` for the next. The order covers the SCAN_LIMIT most recent conversations.
 */
export async function readInbox(input: RouteInput): Promise<Reply> {
  const limit = readLimit(input.params, DEFAULT_PAGE, MAX_PAGE);
  const after = decodeCursor(optionalString(input.params, 'cursor', { maxLength: 200 }));
  const { service } = conversationsService(input);
  const open = (await service.conversations.list({ limit: SCAN_LIMIT }))
    .filter((c) => c.state !== 'closed')
    .map((c) => ({ conversation: c, place: { at: c.dateUpdated.getTime(), sid: c.sid } }))
    .sort((a, b) => (before(a.place, b.place) ? -1 : 1))
    .filter(({ place }) => !after || before(after, place));
  const page = open.slice(0, limit);
  const conversations = await Promise.all(
    page.map(async ({ conversation }) => {
      const [participants, [last]] = await Promise.all([
        participantsOf(service, conversation.sid),
        service.conversations(conversation.sid).messages.list({ order: 'desc', limit: 1 }),
      ]);
      const shown = await Promise.all(
        participants.map(async ({ sid, identity, channel, number }) =>
          channel && number
            ? {
                sid,
                channel,
                number,
                consent: describeConsent({ [channel]: await input.stores.consent.record(channel, number) } as Record<
                  typeof channel,
                  ConsentRecord | undefined
                >)[channel],
              }
            : { sid, channel: 'chat', identity },
        ),
      );
      return {
        conversationSid: conversation.sid,
        friendlyName: conversation.friendlyName,
        state: conversation.state,
        lastActivity: conversation.dateUpdated.toISOString(),
        lastMessage: last ? { sid: last.sid, author: last.author, body: last.body, at: last.dateCreated.toISOString() } : null,
        participants: shown,
      };
    }),
  );
  const lastShown = page.at(-1);
  return json({ conversations, nextCursor: open.length > limit && lastShown ? encodeCursor(lastShown.place) : null });
}
