import type { Deadline } from '../runtime/deadline';
import { repeatable } from '../twilio/request-policy';
import type { TwilioClient } from '../twilio/sdk';
import { hasCode } from '../stores/sync-codes';
import { addCounts, noCounts, type SweepCounts, type SweepPage, type SweepStep } from './sweep';

/** Twilio's "resource not found": already deleted (by us a moment ago, or by someone else). */
const NOT_FOUND = 20404;
/** "Cannot delete this resource before it is complete" (https://www.twilio.com/docs/api/errors/20009): still in flight. */
const INCOMPLETE = 20009;

export interface TwilioSweepContext {
  client: TwilioClient;
  deadline: Deadline;
}

/** A delete that is safe to repeat: gone already counts 0, in flight counts as skipped. */
async function removeOnce(deadline: Deadline, remove: () => Promise<boolean>, kind: keyof SweepCounts): Promise<Partial<SweepCounts>> {
  try {
    await repeatable(deadline, remove);
    return { [kind]: 1 };
  } catch (error) {
    if (hasCode(error, NOT_FOUND)) return {};
    if (hasCode(error, INCOMPLETE)) return { skipped: 1 };
    throw error;
  }
}

/** Pages of a twilio-node list: the first with `options`, then by the URL each page gives. */
interface Pager<T> {
  page(options: { pageSize: number }): Promise<{ instances: T[]; nextPageUrl?: string }>;
  getPage(url: string): Promise<{ instances: T[]; nextPageUrl?: string }>;
}

function step<T>(
  name: string,
  { deadline }: TwilioSweepContext,
  pager: Pager<T>,
  task: (item: T) => Promise<Partial<SweepCounts>>,
): SweepStep {
  return {
    name,
    async page(pageUrl, pageSize): Promise<SweepPage> {
      const page = await repeatable(deadline, () => (pageUrl ? pager.getPage(pageUrl) : pager.page({ pageSize })));
      return { tasks: page.instances.map((item) => () => task(item)), nextPageUrl: page.nextPageUrl };
    },
  };
}

/** A list with filters fixed, as a Pager. */
const filtered = <T, F>(
  list: {
    page(options: F & { pageSize: number }): Promise<{ instances: T[]; nextPageUrl?: string }>;
    getPage(url: string): Promise<{ instances: T[]; nextPageUrl?: string }>;
  },
  filters: F,
): Pager<T> => ({
  page: (options) => list.page({ ...filters, ...options }),
  getPage: (url) => list.getPage(url),
});

/** Deletes a message's Media (Messages/{Sid}/Media, DELETE each), counting what went. */
async function deleteMedia({ client, deadline }: TwilioSweepContext, messageSid: string): Promise<Partial<SweepCounts>> {
  const media = await repeatable(deadline, () => client.api.v2010.account.messages(messageSid).media.list({ limit: 100 }));
  let removed = 0;
  for (const item of media) {
    const result = await removeOnce(deadline, () => client.api.v2010.account.messages(messageSid).media(item.sid).remove(), 'media');
    removed += result.media ?? 0;
  }
  return { media: removed };
}

/**
 * Deletes a message: its Media first (counted), then the Message, which Twilio refuses while it
 * is in flight (20009, counted as skipped and met again on the next sweep).
 */
async function deleteMessage(context: TwilioSweepContext, message: { sid: string; numMedia: string }): Promise<Partial<SweepCounts>> {
  const media = message.numMedia !== '0' ? await deleteMedia(context, message.sid) : {};
  const deleted = await removeOnce(context.deadline, () => context.client.api.v2010.account.messages(message.sid).remove(), 'messages');
  return addCounts(addCounts(noCounts(), media), deleted);
}

/** Deletes a recording's transcriptions, then the recording. */
async function deleteRecording({ client, deadline }: TwilioSweepContext, recordingSid: string): Promise<Partial<SweepCounts>> {
  const transcriptions = await repeatable(deadline, () =>
    client.api.v2010.account.recordings(recordingSid).transcriptions.list({ limit: 100 }),
  );
  let removed = 0;
  for (const transcription of transcriptions) {
    const result = await removeOnce(deadline, () => client.api.v2010.account.transcriptions(transcription.sid).remove(), 'transcriptions');
    removed += result.transcriptions ?? 0;
  }
  return addCounts(
    { ...noCounts(), transcriptions: removed },
    await removeOnce(deadline, () => client.api.v2010.account.recordings(recordingSid).remove(), 'recordings'),
  );
}

// --- Retention: what is older than a cutoff. ---

/** Messages sent before `cutoff` (the list's `DateSent<` filter), deleted with their Media. */
export const oldMessages = (context: TwilioSweepContext, cutoff: Date): SweepStep =>
  step('messages', context, filtered(context.client.api.v2010.account.messages, { dateSentBefore: cutoff }), (message) =>
    deleteMessage(context, message),
  );

/** The Media of messages sent before `cutoff`; the messages themselves stay. */
export const oldMedia = (context: TwilioSweepContext, cutoff: Date): SweepStep =>
  step('media', context, filtered(context.client.api.v2010.account.messages, { dateSentBefore: cutoff }), (message) =>
    message.numMedia !== '0' ? deleteMedia(context, message.sid) : Promise.resolve({}),
  );

/** Recordings created before `cutoff` (the list's `DateCreated<` filter); their transcriptions follow their own limit. */
export const oldRecordings = (context: TwilioSweepContext, cutoff: Date): SweepStep =>
  step('recordings', context, filtered(context.client.api.v2010.account.recordings, { dateCreatedBefore: cutoff }), (recording) =>
    removeOnce(context.deadline, () => context.client.api.v2010.account.recordings(recording.sid).remove(), 'recordings'),
  );

/** Transcriptions created before `cutoff`: the list has no date filter, so every page is read and the older ones deleted. */
export const oldTranscriptions = (context: TwilioSweepContext, cutoff: Date): SweepStep =>
  step('transcriptions', context, filtered(context.client.api.v2010.account.transcriptions, {}), (transcription) =>
    transcription.dateCreated < cutoff
      ? removeOnce(context.deadline, () => context.client.api.v2010.account.transcriptions(transcription.sid).remove(), 'transcriptions')
      : Promise.resolve({}),
  );

// --- Erasure: everything of one person's address. ---

/** Messages to or from `address` (`+E164` or `whatsapp:+E164`), deleted with their Media. */
export const messagesOf = (context: TwilioSweepContext, direction: 'to' | 'from', address: string): SweepStep =>
  step(
    `messages:${direction}:${address}`,
    context,
    filtered(context.client.api.v2010.account.messages, { [direction]: address }),
    (message) => deleteMessage(context, message),
  );

/** Calls to or from `number`: each call's recordings and their transcriptions, then the call record itself. */
export const callsOf = (context: TwilioSweepContext, direction: 'to' | 'from', number: string): SweepStep =>
  step(`calls:${direction}`, context, filtered(context.client.api.v2010.account.calls, { [direction]: number }), async (call) => {
    const recordings = await repeatable(context.deadline, () =>
      context.client.api.v2010.account.recordings.list({ callSid: call.sid, limit: 100 }),
    );
    let counts = noCounts();
    for (const recording of recordings) counts = addCounts(counts, await deleteRecording(context, recording.sid));
    return addCounts(counts, await removeOnce(context.deadline, () => context.client.api.v2010.account.calls(call.sid).remove(), 'calls'));
  });
