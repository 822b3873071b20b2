import type { RouteInput } from '../runtime/route';
import { continueSweep, type SweepReport } from './progress';
import type { SweepStep } from './sweep';
import { twilioNow } from './twilio-clock';
import { oldMedia, oldMessages, oldRecordings, oldTranscriptions } from './twilio-resources';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Time kept back from the 10-second budget to save the cursor and answer. */
const RESERVE_MS = 2_500;

/** The cutoff `days` before `now`, or undefined when the kind is kept forever (0). */
const cutoff = (days: number, now: Date): Date | undefined => (days > 0 ? new Date(now.getTime() - days * DAY_MS) : undefined);

/**
 * What retention walks, in order: transcriptions, recordings, media, messages (Twilio's), then our
 * own dated Sync records. Only the kinds with a limit (RETENTION_DAYS_*) are walked.
 */
function retentionSteps(input: RouteInput, now: Date): SweepStep[] {
  const { settings, stores, deadline } = input;
  const days = settings.privacy.retentionDays;
  const context = { client: input.twilio(), deadline };
  const steps: SweepStep[] = [];
  const add = (limit: number, make: (before: Date) => SweepStep | SweepStep[]) => {
    const before = cutoff(limit, now);
    if (before) steps.push(...[make(before)].flat());
  };
  add(days.transcriptions, (before) => oldTranscriptions(context, before));
  add(days.recordings, (before) => oldRecordings(context, before));
  add(days.media, (before) => oldMedia(context, before));
  add(days.messages, (before) => oldMessages(context, before));
  add(days.records, (before) => stores.privacy.dated.flatMap((store) => store.steps(({ at }) => at < before)));
  return steps;
}

/** POST /retention/run: one bounded batch of the retention sweep, resumed from its cursor in Sync; ages by Twilio's clock. */
export async function runRetention(input: RouteInput, limit: number): Promise<SweepReport> {
  const now = await twilioNow(input.twilio(), input.deadline);
  return continueSweep(input.stores.privacy.sweeps, 'retention', retentionSteps(input, now), {
    limit,
    deadline: input.deadline,
    reserveMs: RESERVE_MS,
  });
}

export { RESERVE_MS };
