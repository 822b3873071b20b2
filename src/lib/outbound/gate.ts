// The one way out: every message and call we originate is cleared here, in this order, each with
// its own stable error: the kill switch for non-essential sends (503 sending_paused), consent (409 opted_out, and
// 409 no_marketing_consent for marketing without a recorded opt-in), quiet hours (409 quiet_hours:
// marketing outside the recipient's legal window, see marketing-hours.ts), geography (403 country_not_allowed, or
// number_type_not_allowed for premium-rate and shared-cost numbers), limits for
// recipients someone outside chose (429 rate_limited / range_budget_exhausted, and the spend
// ceiling's budget_exhausted: see outsider-budgets.ts), then the send,
// whose refusals are mapped (21610 also records the opt-out for that channel).
import type { CallInstance } from 'twilio/lib/rest/api/v2010/account/call';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import { AppError } from '../errors/app-error';
import { fromTwilioError, isTwilioRestError } from '../errors/twilio-errors';
import { log, reasonOf } from '../logging/log';
import { allInOrder } from '../runtime/all-in-order';
import { maskPhone } from '../logging/redact';
import type { Stores } from '../stores';
import { recordOwnOptOut } from '../consent/change';
import type { Channel, MessagingChannel } from './address';
import { destinationRefusal, refuseDestination } from './geography';
import { readOutsiderBudgets, spendOutsiderBudgets, spendReadBudgets } from './outsider-budgets';
import { isCeilingRefusal } from '../spend/ceiling';
import { readConsentVerdict } from './consent-verdict';
import { marketingVerdict } from './marketing-hours';
import type { Purpose } from './purpose';
import type { ScheduledScope } from '../stores/scheduled-resends';
import {
  cancelScheduledMessage,
  createCall,
  createMessage,
  createThreadMessage,
  type OutboundCall,
  type OutboundMessage,
  type SendContext,
  type ThreadMessage,
} from './twilio-requests';
import type { MessageInstance as ThreadMessageInstance } from 'twilio/lib/rest/conversations/v1/service/conversation/message';

export type { SendContext, ThreadMessage } from './twilio-requests';

/** What a message says; who gets it comes from the clearance. */
export type MessageContent = Omit<OutboundMessage, 'to' | 'channel'>;
/** What a call says; who is called comes from the clearance. */
export type CallContent = Omit<OutboundCall, 'to'>;

/**
 * Who chose the recipient: our own systems through an API action (`api`), our configuration
 * (`staff`: ALERT_SMS_TO, VOICEMAIL_NOTIFY_TO, FORWARD_TO), or someone outside (`outsider`: a
 * caller ID, the sender of an inbound message), whom anyone can spoof or script, so limits apply.
 */
type Trigger = 'api' | 'staff' | 'outsider';

/**
 * Whether a send waits while a Twilio Usage Trigger has paused sending (the kill switch):
 * `non-essential` ones do (campaigns, auto-replies, HELP and router replies, IVR texts);
 * `essential` ones never (STOP/START confirmations, the owner's API sends, staff notices).
 * docs/outbound-gate.md#the-kill-switch says why each send is what it is.
 */
export type Importance = 'essential' | 'non-essential';

export interface Recipient {
  channel: Channel;
  /** E.164. */
  to: string;
  trigger: Trigger;
  importance: Importance;
  /** What the send is for; transactional when not said (every send before purposes had names). */
  purpose?: Purpose;
  /** When Twilio will deliver it, if later than now (a campaign's place in the queue): quiet hours are judged then. */
  deliverAt?: Date;
  /**
   * `outsider`: a staff notice someone outside caused (a forward of their message, a notice of their
   * voicemail): staff chose the recipient, but an outsider chooses how many, so it spends from the
   * spend ceiling (PAID_ACTIONS_PER_HOUR), not from the per-number and per-range limits.
   */
  causedBy?: 'outsider';
}

export type GateContext = SendContext & { readonly stores: Stores };

/** 503 `sending_paused` for a non-essential send while the kill switch holds (one Sync read per request). */
export async function refusePaused({ stores }: GateContext, importance: Importance): Promise<void> {
  if (importance === 'essential') return;
  const pause = await stores.sendingPause.inForce();
  if (!pause) return;
  throw new AppError(
    503,
    'sending_paused',
    `Non-essential sends are paused since ${pause.since}: Twilio Usage Trigger ${pause.trigger.sid} (${pause.trigger.usageCategory}) fired. POST /usage/resume resumes them.`,
    { details: { since: pause.since, trigger: pause.trigger.sid } },
  );
}

/**
 * 409 `opted_out` for someone who opted out of this send's purpose on its channel, 409
 * `no_marketing_consent` for marketing to someone with no recorded marketing opt-in since their
 * last change of consent (see consent-verdict.ts). A marketing send reads the number's consent
 * history beside its opt-out record.
 */
async function refuseWithoutConsent({ stores }: GateContext, { channel, to, purpose = 'transactional' }: Recipient): Promise<void> {
  const { verdict, record } = await readConsentVerdict(stores, channel, to, purpose);
  if (verdict === 'allowed') return;
  const name = channel === 'sms' ? 'SMS' : channel === 'whatsapp' ? 'WhatsApp' : 'calls';
  if (verdict === 'no_marketing_consent') {
    throw new AppError(
      409,
      'no_marketing_consent',
      `No marketing opt-in is recorded for this recipient on ${name} since their last change of consent: record one with POST /consent (source, wording, at)`,
      { details: { channel, purpose } },
    );
  }
  const how =
    record?.scope === 'marketing'
      ? `opted out of marketing on ${name}`
      : channel === 'voice'
        ? 'asked not to be called'
        : `opted out of ${name} (replied STOP)`;
  throw new AppError(409, 'opted_out', `The recipient has ${how} and cannot be reached for this`, {
    details: { channel, ...(purpose === 'marketing' ? { purpose } : {}) },
  });
}

/**
 * 409 `quiet_hours` for marketing outside the window in the recipient's local time (every zone
 * their number may be in: 47 CFR 64.1200(c)(1) and the stricter state windows), with `retryAt`,
 * the window's next opening for them. Transactional sends are not held.
 */
function refuseQuietHours({ settings }: GateContext, { to, purpose, deliverAt }: Recipient, now: Date): void {
  if (purpose !== 'marketing') return;
  const verdict = marketingVerdict(settings.marketingHours, to, deliverAt ?? now);
  if (verdict.open) return;
  const retryAt = verdict.retryAt?.toISOString();
  throw new AppError(
    409,
    'quiet_hours',
    retryAt
      ? `Marketing may not reach this recipient at this hour in their local time: retry at ${retryAt}`
      : 'Marketing may not reach this recipient at any hour MARKETING_HOURS allows within a week',
    { details: retryAt ? { retryAt } : {} },
  );
}

declare const cleared: unique symbol;

/** Proof that a recipient passed the gate; only the gate makes one (`clearRecipient`, `clearOptOutConfirmation`), and every send needs one. */
export type Clearance = Recipient & { readonly [cleared]: true };

/**
 * Clears a recipient or throws the stable error of the first check that refuses. Geography and
 * the per-number and per-range limits guard SMS and voice, where SMS pumping and toll fraud live
 * (and where Twilio's geo permissions apply); a WhatsApp recipient is a WhatsApp account with no
 * premium range to pump. Every recipient someone outside chose spends from the spend ceiling
 * (PAID_ACTIONS_PER_HOUR), WhatsApp included, and so does every staff notice someone outside caused.
 */
export async function clearRecipient(context: GateContext, recipient: Recipient, now = new Date()): Promise<Clearance> {
  // Side by side (the pause, consent and, for an outsider's recipient in an allowed place, the
  // budgets: Sync reads, one round trip); the refusals come in the gate's order, and a refusal
  // writes nothing (a refused send costs its budget reads only).
  // Marketing is never essential: it waits while the kill switch holds, whatever the caller said.
  const importance = recipient.purpose === 'marketing' ? 'non-essential' : recipient.importance;
  // Judged once, thrown in the gate's order below.
  const placeRefusal = recipient.channel === 'whatsapp' ? undefined : destinationRefusal(context.settings.allowedCountries, recipient.to);
  const outsider = recipient.trigger === 'outsider';
  const [, , budgets] = await allInOrder([
    refusePaused(context, importance),
    refuseWithoutConsent(context, recipient),
    (outsider || recipient.causedBy === 'outsider') && !placeRefusal
      ? readOutsiderBudgets(context, recipient, { perRecipient: outsider, now })
      : undefined,
  ]);
  refuseQuietHours(context, recipient, now);
  if (placeRefusal) throw placeRefusal;
  if (budgets) await spendReadBudgets(context, recipient, budgets, now);
  return { ...recipient } as Clearance;
}

/**
 * Twilio's Message Scheduling takes a `SendAt` 15 minutes to 35 days after the request, through a
 * Messaging Service only (https://www.twilio.com/docs/messaging/features/message-scheduling; its
 * error pages 35114/35115 now say 300 s at the least: 15 minutes satisfies both).
 */
const SCHEDULING_BOUNDS_MS = { min: 15 * 60_000, max: 35 * 24 * 3_600_000 } as const;

/**
 * When quiet hours hold a marketing message and a Messaging Service can schedule it: the window's
 * opening, if Twilio can schedule for it. No I/O (the hours are settings), so it is judged before
 * the one clearance.
 */
function schedulableOpening({ settings }: GateContext, { to, purpose }: Recipient, now: Date): Date | undefined {
  if (purpose !== 'marketing' || !settings.messagingServiceSid) return undefined;
  const verdict = marketingVerdict(settings.marketingHours, to, now);
  if (verdict.open || !verdict.retryAt) return undefined;
  const ahead = verdict.retryAt.getTime() - now.getTime();
  return ahead >= SCHEDULING_BOUNDS_MS.min && ahead <= SCHEDULING_BOUNDS_MS.max ? verdict.retryAt : undefined;
}

/**
 * Clears a message now, or, when quiet hours hold it and a Messaging Service can schedule it,
 * clears it for the window's opening: `sendAt`, for Twilio's Message Scheduling (every other check
 * as for a send now, once). An opening under 15 minutes away, or no Messaging Service: the 409
 * `quiet_hours` with `retryAt` stands.
 */
export async function clearOrSchedule(
  context: GateContext,
  recipient: Recipient & { channel: MessagingChannel },
  now = new Date(),
): Promise<{ clearance: Clearance; sendAt?: Date }> {
  const sendAt = schedulableOpening(context, recipient, now);
  if (!sendAt) return { clearance: await clearRecipient(context, recipient, now) };
  return { clearance: await clearRecipient(context, { ...recipient, deliverAt: sendAt }, now), sendAt };
}

/** Twilio's refusal as our error; 21610 (the carrier says the person opted out) is remembered first. */
async function refused(context: GateContext, recipient: Recipient, error: unknown): Promise<never> {
  if (!isTwilioRestError(error)) throw error;
  if (error.code === 21610 && recipient.channel !== 'voice') {
    await recordOwnOptOut(context.stores, recipient.channel, recipient.to, { source: 'twilio-21610' });
    await cancelScheduledAfterOptOut(context, recipient.channel, recipient.to, 'all');
  }
  throw fromTwilioError(error);
}

/** Sends a message to a cleared SMS or WhatsApp recipient. */
export async function sendMessage(context: GateContext, clearance: Clearance, content: MessageContent): Promise<MessageInstance> {
  if (clearance.channel === 'voice') throw new TypeError('a voice clearance cannot send a message');
  // Never re-sent automatically: messages to outsider-chosen recipients, campaign messages (a
  // re-send would dodge the campaign's quiet hours, cancel and exactly-once bookkeeping), and
  // marketing (a re-send is cleared as transactional: it would dodge quiet hours and the opt-in).
  const message = {
    ...content,
    channel: clearance.channel,
    to: clearance.to,
    resendable: clearance.trigger !== 'outsider' && content.campaign === undefined && clearance.purpose !== 'marketing',
  };
  return createMessage(context, message).catch((error: unknown) => refused(context, clearance, error));
}

/**
 * Adds a message to a Conversation, whose messaging participants Twilio then texts: only with a
 * clearance for each of them (an empty list is a thread of chat participants only).
 */
export async function addThreadMessage(
  context: GateContext,
  clearances: readonly Clearance[],
  message: ThreadMessage,
): Promise<ThreadMessageInstance> {
  if (clearances.some((clearance) => clearance.channel === 'voice')) throw new TypeError('a voice clearance cannot send a thread message');
  return createThreadMessage(context, message);
}

/** Places a call to a recipient cleared for voice. */
export async function placeCall(context: GateContext, clearance: Clearance, call: CallContent): Promise<CallInstance> {
  if (clearance.channel !== 'voice') throw new TypeError('only a voice clearance can place a call');
  return createCall(context, { ...call, to: clearance.to }).catch((error: unknown) => refused(context, clearance, error));
}

/** Clears and sends in one step, for paths that decide nothing between the two. */
export async function clearAndSend(
  context: GateContext,
  recipient: Recipient & { channel: MessagingChannel },
  content: MessageContent,
): Promise<MessageInstance> {
  return sendMessage(context, await clearRecipient(context, recipient), content);
}

/** What a reply answers: a compliance reply answers the person's own keyword; a STOP's confirmation is one of them. */
interface ReplyKind {
  compliance?: boolean;
  /** The one confirmation of an opt-out: exempt from the spend ceiling (the law requires it; at most one per STOP). */
  optOutConfirmation?: boolean;
  /** Told when the spend ceiling withholds it (a staff notice an outsider caused: the skip is counted, the operator told). */
  onCeilingSpent?: () => Promise<void>;
}

/**
 * A compliance reply (HELP, and our STOP/START confirmations) answers the person's own keyword:
 * consent does not apply (a STOP confirmation goes to someone who just opted out), geography, the
 * hourly limits and the spend ceiling do (SMS and voice; the ceiling alone on WhatsApp), so a
 * spoofed sender abroad or a flood of HELPs costs nothing. A STOP's confirmation is exempt from
 * the ceiling only; the kill switch holds HELP answers (non-essential), never STOP/START
 * confirmations.
 */
async function clearComplianceReply(context: GateContext, recipient: Recipient, { optOutConfirmation = false }: ReplyKind): Promise<void> {
  await refusePaused(context, recipient.importance);
  if (recipient.channel === 'whatsapp' && optOutConfirmation) return;
  if (recipient.channel !== 'whatsapp') refuseDestination(context.settings.allowedCountries, recipient.to);
  // The hourly limits guard recipients someone outside chose; our own systems' are not theirs to spend.
  if (recipient.trigger === 'outsider') await spendOutsiderBudgets(context, recipient, { paid: !optOutConfirmation });
}

/**
 * Clears the one confirmation of an opt-out that reached us without a message to answer (the
 * IVR's 9, `POST /consent`), sent by REST: cleared as a STOP's TwiML confirmation is (essential,
 * so the kill switch never holds it; exempt from the spend ceiling; geography applies; consent of
 * the opted-out channel not, its caller checks any other). 47 CFR 64.1200(a)(12).
 */
export async function clearOptOutConfirmation(
  context: GateContext,
  recipient: Omit<Recipient, 'importance' | 'purpose'> & { channel: MessagingChannel },
): Promise<Clearance> {
  const confirmation: Recipient = { ...recipient, importance: 'essential', purpose: 'transactional' };
  await clearComplianceReply(context, confirmation, { compliance: true, optOutConfirmation: true });
  return confirmation as Clearance;
}

/**
 * A compliance reply sent as a message, where no TwiML can answer (a Conversations webhook), from
 * the number the person wrote to (`from`): cleared as mayReply clears one (consent does not
 * apply); false when withheld. Like a TwiML reply it is never re-sent and not counted in the
 * delivery statistics.
 */
export async function sendComplianceReply(
  context: GateContext,
  recipient: Recipient & { channel: MessagingChannel },
  kind: Omit<ReplyKind, 'compliance'>,
  content: { body: string; from: string },
): Promise<boolean> {
  if (!(await mayReply(context, recipient, { ...kind, compliance: true }))) return false;
  const message = { ...content, channel: recipient.channel, to: recipient.to, track: false, resendable: false };
  await createMessage(context, message).catch((error: unknown) => refused(context, recipient, error));
  return true;
}

/**
 * Whether a TwiML reply may go (Twilio sends `<Message>` replies at our cost too): the same
 * checks, answered as a boolean so the webhook itself never fails. A refusal is logged; so is a
 * check that could not be made (Sync down), and the reply is withheld: the gate fails closed.
 */
export async function mayReply(context: GateContext, recipient: Recipient, kind: ReplyKind = {}): Promise<boolean> {
  try {
    if (kind.compliance) await clearComplianceReply(context, recipient, kind);
    else await clearRecipient(context, recipient);
    return true;
  } catch (error) {
    const refusal = error instanceof AppError && (error.status < 500 || error.code === 'sending_paused');
    const reason = reasonOf(error);
    log(refusal ? 'info' : 'error', 'reply_withheld', {
      to: maskPhone(recipient.to),
      channel: recipient.channel,
      trigger: recipient.trigger,
      reason,
    });
    if (kind.onCeilingSpent && isCeilingRefusal(error)) await kind.onCeilingSpent();
    return false;
  }
}

/**
 * An opt-out cancels what is already scheduled to that person on that channel: STOP (`all`) every
 * scheduled message, re-sends and marketing held for quiet hours; an opt-out of marketing only
 * (`marketing`) the marketing ones. Called after the opt-out is written: a message scheduled
 * concurrently re-checks consent after it registers itself (see `rememberScheduled`), so one of
 * the two always sees the other.
 */
export async function cancelScheduled(context: GateContext, channel: Channel, to: string, scope: ScheduledScope = 'all'): Promise<number> {
  const sids = await context.stores.scheduledResends.pending(channel, to, scope);
  if (sids.length === 0) return 0;
  const canceled = await Promise.all(sids.map((sid) => cancelScheduledMessage(context, sid)));
  await context.stores.scheduledResends.forget(channel, to, scope, sids);
  return canceled.filter(Boolean).length;
}

/** `cancelScheduled` for an opt-out already recorded: a failure is logged, never fails the opt-out (Twilio refuses those sends with 21610 anyway, for a STOP). */
export async function cancelScheduledAfterOptOut(context: GateContext, channel: Channel, to: string, scope: ScheduledScope): Promise<void> {
  await cancelScheduled(context, channel, to, scope).catch((error: unknown) =>
    log('error', 'cancel_scheduled_failed', { channel, scope, reason: reasonOf(error) }),
  );
}

/**
 * Registers a scheduled message so an opt-out can cancel it (kept a day past `sendAt`), then
 * cancels it at once if the person may no longer get it: the same consent verdict the gate gives
 * its purpose (an opt-out of marketing, or no marketing opt-in, stops marketing). When the
 * registration fails the message is canceled at Twilio before the error is thrown: a scheduled
 * message nobody can cancel never stays behind.
 */
export async function rememberScheduled(
  context: GateContext,
  channel: MessagingChannel,
  to: string,
  sid: string,
  { purpose = 'transactional', sendAt }: { purpose?: Purpose; sendAt?: Date } = {},
): Promise<'scheduled' | 'canceled'> {
  try {
    await context.stores.scheduledResends.add(channel, to, sid, { purpose, sendAt });
  } catch (error) {
    await cancelScheduledMessage(context, sid).catch((cancelError: unknown) =>
      log('error', 'scheduled_message_left', { sid, reason: reasonOf(cancelError) }),
    );
    throw error;
  }
  if ((await readConsentVerdict(context.stores, channel, to, purpose)).verdict === 'allowed') return 'scheduled';
  await cancelScheduled(context, channel, to, purpose === 'marketing' ? 'marketing' : 'all');
  return 'canceled';
}
