import { randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error';
import { describeError, log } from '../logging/log';
import { twilioAddress } from '../outbound/address';
import { clearRecipient, sendMessage, type GateContext, type MessageContent } from '../outbound/gate';
import { sentByUs } from '../outbound/prior-sends';
import type { CampaignRecord, CampaignStore, Outcome, Recipient, SendClaim } from './store';
import { MAX_QUEUE_SECONDS } from './campaign';
import { pool } from './pool';
import { quietMinutesLeft } from './quiet-hours';
import { Deadline } from '../runtime/deadline';
import { render, withOptOutLanguage } from './template';
import { repeatable } from '../twilio/request-policy';

/** A run sends for at most this long, leaving the rest of the 9 s budget for its bookkeeping. */
const RUN_BUDGET_MS = 6_500;
/** Creates in flight at once: well under Twilio's concurrency limit (20429), across drivers too. */
const CONCURRENCY = 8;
/** A claim older than this whose driver never recorded an outcome is reconciled from Twilio's Messages. */
const STALE_CLAIM_MS = 60_000;
/** A claim its own driver marked ambiguous (5xx, timeout) is reconciled sooner. */
const AMBIGUOUS_CLAIM_MS = 3_000;
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

type Step = Outcome | { state: 'wait'; seconds: number };

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

function contentFor(record: CampaignRecord, recipient: Recipient): MessageContent {
  if (record.contentSid) {
    const contentVariables = Object.fromEntries(
      Object.entries(record.contentVariables ?? {}).map(([key, value]) => [key, render(value, recipient.vars)]),
    );
    return { contentSid: record.contentSid, contentVariables, campaign: record.id };
  }
  // Decided on the template, so a variable ("12 Stop Lane") cannot remove the opt-out language.
  const template = record.kind === 'marketing' && record.channel === 'sms' ? withOptOutLanguage(record.body ?? '') : (record.body ?? '');
  return { body: render(template, recipient.vars), campaign: record.id };
}

/**
 * Whether Twilio already holds a message of this campaign for the recipient, created after the
 * claim: the answer for a send whose outcome nobody recorded (a driver died between claim and
 * answer, or Twilio answered 5xx). The Messages list, not a blind re-send, decides.
 */
async function findSent(context: GateContext, record: CampaignRecord, recipient: Recipient, since: number): Promise<string | undefined> {
  const expected = contentFor(record, recipient);
  const messages = await repeatable(context.deadline, () =>
    context.twilio().messages.list({ to: twilioAddress(record.channel, recipient.to), limit: 50 }),
  );
  const ours = sentByUs(context.settings, record.channel);
  const match = messages.find(
    (message) =>
      message.direction === 'outbound-api' &&
      ours(message) &&
      (message.dateCreated?.getTime() ?? 0) >= since - 5_000 &&
      (expected.body === undefined || message.body === expected.body),
  );
  return match?.sid;
}

/** One recipient: the claim, then the gate and the create; or a wait when someone else holds the claim. */
async function sendOne(
  context: GateContext,
  store: CampaignStore,
  record: CampaignRecord,
  recipient: Recipient,
  driver: string,
  now: number,
  deliveryAt: number,
): Promise<Step> {
  if (record.quietHours) {
    const minutes = quietMinutesLeft(record.quietHours, recipient.to, new Date(deliveryAt));
    if (minutes > 0) return { state: 'wait', seconds: minutes * 60 };
  }
  const claim: SendClaim = { at: now, driver };
  if (!(await store.claimSend(record.id, recipient.to, claim))) {
    const held = await store.sendClaim(record.id, recipient.to);
    if (!held) return { state: 'wait', seconds: 1 };
    const age = now - held.at;
    // Another driver is on it (or died on it): come back soon; it is reconciled once stale.
    if (age < (held.ambiguous ? AMBIGUOUS_CLAIM_MS : STALE_CLAIM_MS)) return { state: 'wait', seconds: 2 };
    const sid = await findSent(context, record, recipient, held.at);
    if (sid) return { state: 'sent', sid };
    if (!(await store.takeOver(record.id, recipient.to, held, claim))) return { state: 'wait', seconds: 1 };
  }
  try {
    const clearance = await clearRecipient(context, { channel: record.channel, to: recipient.to, trigger: 'api' });
    const message = await sendMessage(context, clearance, contentFor(record, recipient));
    await context.stores.campaignRecipients.remember(record.channel, recipient.to, record.id).catch(() => undefined);
    return { state: 'sent', sid: message.sid };
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 429) return { state: 'refused', reason: error.code };
    // Twilio may or may not have taken it (5xx, timeout, still busy): reconciled by a later run, never re-sent blindly.
    await store.markAmbiguous(record.id, recipient.to, claim).catch(() => undefined);
    log('warn', 'campaign_send_ambiguous', {
      campaign: record.id,
      error: error instanceof AppError ? error.code : describeError(error),
    });
    return { state: 'wait', seconds: 5 };
  }
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
  const thisRun = { sent: 0, refused: 0, failed: 0 };
  const answer = (current: CampaignRecord, nextRunAfterSeconds?: number): RunResult => ({
    id,
    state: current.state,
    done: current.state === 'done' || current.state === 'canceled',
    thisRun,
    progress: progressOf(current),
    etaSeconds: Math.ceil(progressOf(current).pending / current.mps),
    ...(nextRunAfterSeconds === undefined ? {} : { nextRunAfterSeconds: Math.max(1, Math.ceil(nextRunAfterSeconds)) }),
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
  let cursor = record.cursor;
  const reasons: Record<string, number> = {};
  let contiguous = true;
  for (let index = record.cursor; index < order.length && !timeUp(); index += 1) {
    const [page, batch] = order[index];
    const [recipients, known] = await Promise.all([store.batch(id, page, batch), store.outcomes(id, page, batch)]);
    const open = recipients.filter((recipient) => !known[recipient.to]);
    const steps = await pool(
      open,
      CONCURRENCY,
      async (recipient) => {
        capacity -= 1;
        // When Twilio will deliver it: after what is queued before it on the sender (quiet hours apply then).
        const deliveryAt = Math.max(running.queueClearsAt, started) + (queued++ / running.mps) * 1000;
        return sendOne(sending, store, running, recipient, driver, Date.now(), deliveryAt);
      },
      () => timeUp() || capacity <= 0,
    );
    const outcomes: Record<string, Outcome> = {};
    steps.forEach((step, i) => {
      if (!step) return;
      if (step.state === 'wait') wait = Math.min(wait ?? Infinity, step.seconds);
      else outcomes[open[i].to] = step;
    });
    const added = Object.keys(outcomes).length > 0 ? await store.addOutcomes(id, page, batch, outcomes) : {};
    for (const outcome of Object.values(added)) {
      thisRun[outcome.state] += 1;
      if (outcome.reason) reasons[outcome.reason] = (reasons[outcome.reason] ?? 0) + 1;
    }
    const complete = Object.keys(known).length + Object.keys(outcomes).length >= recipients.length;
    if (contiguous && complete) cursor = index + 1;
    else contiguous = false;
    if (capacity <= 0) {
      wait = Math.min(wait ?? Infinity, 1 / record.mps);
      break;
    }
  }
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
  const final = updated ?? record;
  return answer(final, final.state === 'done' ? undefined : (wait ?? (timeUp() ? 0 : 1)));
}
