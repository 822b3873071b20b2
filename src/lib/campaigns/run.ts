import { randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error';
import { describeError } from '../logging/log';
import { refusePaused, type GateContext } from '../outbound/gate';
import { Deadline } from '../runtime/deadline';
import { BatchFeed, type BatchInWork } from './batch-feed';
import { MAX_QUEUE_SECONDS } from './campaign';
import { semaphore } from './pool';
import { sendOne, type CampaignSender, type Step } from './send';
import type { CampaignRecord, CampaignStore, Outcome } from './store';

/** A run sends for at most this long, leaving the rest of the 9 s budget for its bookkeeping. */
const RUN_BUDGET_MS = 6_500;
/** Creates in flight at once: well under Twilio's concurrency limit (20429), across drivers too. */
const CONCURRENCY = 8;
/**
 * Recipients in work at once: twice the creates, so while CONCURRENCY creates are in flight the
 * next ones are being claimed and checked, and the creates never wait on Sync.
 */
const IN_WORK = 2 * CONCURRENCY;
/** Batches read ahead of the senders. */
const READ_AHEAD = 4;
/** How much sender queue a campaign with quiet hours may fill. */
const MARKETING_QUEUE_SECONDS = 15 * 60;

export interface RunResult {
  id: string;
  state: CampaignRecord['state'];
  done: boolean;
  thisRun: { sent: number; refused: number; failed: number };
  progress: { total: number; pending: number; sent: number; refused: number; failed: number };
  etaSeconds: number;
  nextRunAfterSeconds?: number;
}

/** The batches in order (pages by number, then their batches): `[page, batch]`. */
export function batchOrder(record: CampaignRecord): Array<[number, number]> {
  return Object.entries(record.pages)
    .map(([page, batches]) => [Number(page), batches] as const)
    .sort(([a], [b]) => a - b)
    .flatMap(([page, batches]) => Array.from({ length: batches }, (_, batch): [number, number] => [page, batch]));
}

export function progressOf(record: CampaignRecord): RunResult['progress'] {
  const { sent, refused, failed } = record.counts;
  return {
    total: record.accepted + record.uploadRefused,
    pending: Math.max(0, record.accepted - sent - refused - failed),
    sent,
    refused: refused + record.uploadRefused,
    failed,
  };
}

/**
 * Sends the campaign's next slice within the time budget, from the first incomplete batch on.
 * Exactly once across any number of drivers: a claim per recipient before the create, outcomes
 * recorded per batch, unrecorded claims reconciled from Twilio's Messages list. The sender's
 * queue is never filled past MAX_QUEUE_SECONDS (Twilio fails messages that wait about 10 hours
 * with 30001): past that, the run stops and says when to come back.
 */
export async function runCampaign(context: GateContext, store: CampaignStore, id: string): Promise<RunResult> {
  const started = Date.now();
  const stopAt = started + Math.min(RUN_BUDGET_MS, context.deadline.remainingMs() - 2_000);
  const timeUp = () => Date.now() >= stopAt;
  const driver = randomBytes(6).toString('hex');
  let record = await store.get(id);
  if (!record) throw new AppError(404, 'not_found', `No campaign ${id}`);
  // The kill switch: a paused run claims no one and sends nothing; the first run after /usage/resume goes on from here.
  if (record.state !== 'done' && record.state !== 'canceled') await refusePaused(context, 'non-essential');
  const thisRun = { sent: 0, refused: 0, failed: 0 };
  const answer = (current: CampaignRecord, nextRunAfterSeconds?: number): RunResult => ({
    id,
    state: current.state,
    done: current.state === 'done' || current.state === 'canceled',
    thisRun,
    progress: progressOf(current),
    etaSeconds: Math.ceil(progressOf(current).pending / current.mps),
    ...(nextRunAfterSeconds === undefined ? {} : { nextRunAfterSeconds: Math.max(0, Math.ceil(nextRunAfterSeconds)) }),
  });
  if (record.state === 'done' || record.state === 'canceled') return answer(record);
  if (record.sendAt !== undefined && record.sendAt > started) return answer(record, (record.sendAt - started) / 1000);
  if (Object.keys(record.pages).length === 0)
    throw new AppError(409, 'no_recipients', 'Add recipients (POST /campaigns/recipients) before the first run');
  if (record.state === 'open')
    record = (await store.update(id, (current) => (current.state === 'open' ? { ...current, state: 'running' } : undefined))) ?? record;

  const running = record;
  const order = batchOrder(running);
  // Sends retry (20429) only until this run's own end, so its bookkeeping always gets written.
  const sending: GateContext = { ...context, stores: context.stores, deadline: Deadline.in(Math.max(0, stopAt - Date.now())) };
  // A marketing campaign keeps Twilio's queue short, so quiet hours and a cancel take effect within minutes.
  const maxQueueSeconds = record.quietHours ? MARKETING_QUEUE_SECONDS : MAX_QUEUE_SECONDS;
  let capacity = Math.floor(((started + maxQueueSeconds * 1000 - Math.max(record.queueClearsAt, started)) / 1000) * record.mps);
  let queued = 0;
  let wait: number | undefined;
  const waitAtMost = (seconds: number) => (wait = Math.min(wait ?? Infinity, seconds));
  const reasons: Record<string, number> = {};
  /** Outcomes written, by batch: a batch missing here is not complete, whatever was sent. */
  const written = new Map<BatchInWork, Record<string, Outcome>>();
  const writes: Array<Promise<void>> = [];
  const later: Array<Promise<unknown>> = [];
  // Each batch's outcomes are written as soon as its last recipient is done, while the next ones send.
  const writeOutcomes = (batch: BatchInWork): void => {
    const outcomes: Record<string, Outcome> = {};
    for (const [to, step] of batch.steps) {
      if (step.state === 'wait') waitAtMost(step.seconds);
      else outcomes[to] = step;
    }
    if (Object.keys(outcomes).length === 0) {
      written.set(batch, outcomes);
      return;
    }
    writes.push(
      store.addOutcomes(id, batch.page, batch.batch, outcomes).then((added) => {
        written.set(batch, outcomes);
        for (const outcome of Object.values(added)) {
          thisRun[outcome.state] += 1;
          if (outcome.reason) reasons[outcome.reason] = (reasons[outcome.reason] ?? 0) + 1;
        }
      }),
    );
  };
  const feed = new BatchFeed(store, id, order, record.cursor, READ_AHEAD, writeOutcomes);
  const sender: CampaignSender = {
    context: sending,
    store,
    record: running,
    driver,
    creating: semaphore(CONCURRENCY),
    later: (work) => later.push(work),
  };
  let ranDry = false;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !timeUp() && capacity > 0) {
      let taken: Awaited<ReturnType<BatchFeed['take']>>;
      try {
        taken = await feed.take();
      } catch (error) {
        failure ??= error;
        return;
      }
      if (!taken) {
        ranDry = true;
        return;
      }
      const { batch, recipient } = taken;
      if (timeUp()) return feed.settle(batch, recipient.to, undefined);
      capacity -= 1;
      // When Twilio will deliver it: after what is queued before it on the sender (quiet hours apply then).
      const deliveryAt = Math.max(running.queueClearsAt, started) + (queued++ / running.mps) * 1000;
      let step: Step | undefined;
      try {
        step = await sendOne(sender, recipient, deliveryAt);
      } catch (error) {
        failure ??= error;
      } finally {
        feed.settle(batch, recipient.to, step);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_WORK }, worker));
  feed.close();
  // What was sent is recorded even when something failed; the failure is thrown after the bookkeeping.
  for (const result of await Promise.allSettled(writes)) if (result.status === 'rejected') failure ??= result.reason;
  await Promise.allSettled(later);
  let cursor = record.cursor;
  for (const batch of feed.opened) {
    const outcomes = written.get(batch);
    const complete = outcomes !== undefined && Object.keys(batch.known).length + Object.keys(outcomes).length >= batch.recipients.length;
    if (!complete || batch.index !== cursor) break;
    cursor = batch.index + 1;
  }
  if (capacity <= 0) waitAtMost(1 / record.mps);
  else if (!ranDry) waitAtMost(0);
  const sentNow = thisRun.sent;
  const updated = await store.update(id, (current) => {
    const newCursor = Math.max(current.cursor, cursor);
    const queueClearsAt = Math.max(current.queueClearsAt, started) + (sentNow / current.mps) * 1000;
    const refusedByReason = { ...current.refusedByReason };
    for (const [reason, count] of Object.entries(reasons)) refusedByReason[reason] = (refusedByReason[reason] ?? 0) + count;
    return {
      ...current,
      cursor: newCursor,
      queueClearsAt,
      counts: {
        sent: current.counts.sent + thisRun.sent,
        refused: current.counts.refused + thisRun.refused,
        failed: current.counts.failed + thisRun.failed,
      },
      refusedByReason,
      state:
        current.state === 'canceled'
          ? 'canceled'
          : newCursor >= batchOrder(current).length
            ? 'done'
            : current.state === 'open'
              ? 'running'
              : current.state,
    };
  });
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(describeError(failure));
  const final = updated ?? record;
  // Stopped by the clock with recipients left: come back at once; else when the first wait ends.
  return answer(final, final.state === 'done' ? undefined : (wait ?? 1));
}
