import { AppError } from '../errors/app-error';
import { log, reasonOf } from '../logging/log';
import { twilioAddress } from '../outbound/address';
import { clearRecipient, sendMessage, type Clearance, type GateContext, type MessageContent } from '../outbound/gate';
import { sentByUs } from '../outbound/prior-sends';
import { repeatable } from '../twilio/request-policy';
import type { CampaignRecord, CampaignStore, Outcome, Recipient, SendClaim } from './store';
import { quietMinutesLeft } from './quiet-hours';
import { marketingVerdict } from '../outbound/marketing-hours';
import { render, withOptOutLanguage } from './template';

/** A claim older than this whose driver never recorded an outcome is reconciled from Twilio's Messages. */
const STALE_CLAIM_MS = 60_000;
/** A claim its own driver marked ambiguous (5xx, timeout) is reconciled sooner. */
const AMBIGUOUS_CLAIM_MS = 3_000;

/** What became of one recipient in a run: an outcome, or come back in `seconds` (quiet hours, someone else's claim). */
export type Step = Outcome | { state: 'wait'; seconds: number };

/** What every send of one run shares. */
export interface CampaignSender {
  context: GateContext;
  store: CampaignStore;
  record: CampaignRecord;
  /** This run's id on its claims. */
  driver: string;
  /** Runs one create within the run's limit of creates in flight. */
  creating: <R>(work: () => Promise<R>) => Promise<R>;
  /** Bookkeeping a send need not wait for (the STOP join's record); the run awaits it before it answers. */
  later: (work: Promise<unknown>) => void;
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

/** The gate's verdict, kept rather than thrown, so it can be read beside the claim. */
type Verdict = { clearance: Clearance } | { refusal: unknown };

function gate(context: GateContext, record: CampaignRecord, recipient: Recipient, deliverAt: Date): Promise<Verdict> {
  return clearRecipient(context, {
    channel: record.channel,
    to: recipient.to,
    trigger: 'api',
    importance: 'non-essential',
    purpose: record.kind,
    deliverAt,
  }).then(
    (clearance) => ({ clearance }),
    (refusal: unknown) => ({ refusal }),
  );
}

/**
 * One recipient: the claim (with the gate's read beside it: it changes nothing, so it need not
 * wait for the claim), then the create; or a wait when someone else holds the claim.
 */
export async function sendOne(sender: CampaignSender, recipient: Recipient, deliveryAt: number, now = Date.now()): Promise<Step> {
  const { context, store, record, driver } = sender;
  if (record.quietHours) {
    const minutes = quietMinutesLeft(record.quietHours, recipient.to, new Date(deliveryAt));
    if (minutes > 0) return { state: 'wait', seconds: minutes * 60 };
  }
  // The gate's legal window for marketing (the same rule as the API's 409 quiet_hours), held here
  // rather than refused: the campaign resumes at the window's next opening for this recipient.
  if (record.kind === 'marketing') {
    const verdict = marketingVerdict(context.settings.marketingHours, recipient.to, new Date(deliveryAt));
    if (!verdict.open)
      return { state: 'wait', seconds: verdict.retryAt ? Math.max(60, Math.ceil((verdict.retryAt.getTime() - deliveryAt) / 1000)) : 3600 };
  }
  const claim: SendClaim = { at: now, driver };
  const [claimed, early] = await Promise.all([
    store.claimSend(record.id, recipient.to, claim),
    gate(context, record, recipient, new Date(deliveryAt)),
  ]);
  let verdict = early;
  if (!claimed) {
    const held = await store.sendClaim(record.id, recipient.to);
    if (!held) return { state: 'wait', seconds: 1 };
    const age = now - held.at;
    // Another driver is on it (or died on it): come back soon; it is reconciled once stale.
    if (age < (held.ambiguous ? AMBIGUOUS_CLAIM_MS : STALE_CLAIM_MS)) return { state: 'wait', seconds: 2 };
    const sid = await findSent(context, record, recipient, held.at);
    if (sid) return { state: 'sent', sid };
    if (!(await store.takeOver(record.id, recipient.to, held, claim))) return { state: 'wait', seconds: 1 };
    verdict = await gate(context, record, recipient, new Date(deliveryAt));
  }
  try {
    if ('refusal' in verdict) throw verdict.refusal;
    const { clearance } = verdict;
    const message = await sender.creating(() => sendMessage(context, clearance, contentFor(record, recipient)));
    sender.later(context.stores.campaignRecipients.remember(record.channel, recipient.to, record.id).catch(() => undefined));
    return { state: 'sent', sid: message.sid };
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 429) return { state: 'refused', reason: error.code };
    // Twilio may or may not have taken it (5xx, timeout, still busy): reconciled by a later run, never re-sent blindly.
    await store.markAmbiguous(record.id, recipient.to, claim).catch(() => undefined);
    log('warn', 'campaign_send_ambiguous', {
      campaign: record.id,
      error: reasonOf(error),
    });
    return { state: 'wait', seconds: 5 };
  }
}
