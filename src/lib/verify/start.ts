import type { VerifyChannel, VerifySettings } from '../config/settings';
import { AppError } from '../errors/app-error';
import type { SendContext } from '../outbound/gate';
import { allInOrder } from '../runtime/all-in-order';
import type { Stores } from '../stores';
import { hourOf, secondsToNextHour } from '../stores/delivery-stats';
import { HourlyBudgetStore, type Spent } from '../stores/hourly-budgets';
import type { Known } from '../stores/known-write';
import type { LineFacts } from '../stores/lookup-cache';
import { numberRange } from '../phone/e164';
import { dataOf, reserveIn, type DestinationRecord } from '../stores/verify-destinations';
import type { StartRequest } from './destination';
import { lineFacts, needsLookup, type LineAnswer } from './line-facts';
import { refuseRiskyLine } from './line-policy';
import { countVerifyPrepared, prepareVerifyCount, type PreparedVerifyCount } from './stats';
import { sentOnce } from '../twilio/request-policy';
import { afterAccepted } from '../outbound/after-accepted';
import {
  budgetExhausted,
  ceilingHasRoom,
  ceilingSeenSpent,
  paidFor,
  readCeiling,
  spendCeiling,
  type PaidAction,
  type PaidAllowance,
} from '../spend/ceiling';
import type { PaidShardRead } from '../stores/paid-actions';

export type VerifyContext = SendContext & { stores: Stores };

interface StartResult {
  sid: string;
  status: string;
  channel: VerifyChannel;
  to: string;
  /** Set when SMS codes keep going unused: the page should offer this channel. */
  suggestedChannel?: VerifyChannel;
  /** Set when we switched to a voice call ourselves (VERIFY_ESCALATION=switch). */
  escalatedFrom?: VerifyChannel;
}

export function verifyServiceSid({ settings }: VerifyContext): string {
  const sid = settings.verify.serviceSid;
  if (!sid) throw new AppError(500, 'not_configured', 'VERIFY_SERVICE_SID is not set');
  return sid;
}

/** The budget group a destination spends from each hour: its number range, or its email domain (after the @). */
function budgetGroup({ settings }: VerifyContext, request: StartRequest): { key: string; budget: number } {
  if (request.channel !== 'email') return { key: numberRange(request.to), budget: settings.verify.prefixBudget };
  return { key: `email:${request.key.slice(request.key.lastIndexOf('@') + 1)}`, budget: settings.verify.emailDomainBudget };
}

/**
 * What the limits are decided from, read side by side: the destination's record, its range's (or
 * email domain's) spending this hour, Lookup's cached facts of a number, and the spend ceiling.
 */
interface LimitState {
  destination: Known<DestinationRecord>;
  range: { key: string; hour: string; budget: number; known: Known<Spent> };
  /** Numbers only. */
  cachedFacts?: LineFacts;
  ceiling: PaidShardRead;
}

/** One round trip: the destination's record, its group's hourly spending, Lookup's cache (numbers) and the spend ceiling. */
export async function readLimits(context: VerifyContext, request: StartRequest, now = new Date()): Promise<LimitState> {
  const { stores } = context;
  const group = budgetGroup(context, request);
  const hour = hourOf(now);
  const [destination, spent, cachedFacts, ceiling] = await allInOrder([
    stores.verifyDestinations.read(request.key),
    stores.rangeBudgets.read(group.key, hour),
    request.channel === 'email' ? undefined : stores.lookups.get(request.to),
    readCeiling(context, now),
  ]);
  return { destination, range: { ...group, hour, known: spent }, ceiling, ...(cachedFacts ? { cachedFacts } : {}) };
}

/** A reservation taken, with what sending needs and was read beside it. */
interface Reserved {
  record: DestinationRecord;
  /** The destination's record as the reservation wrote it (so noting the send is one write). */
  known: Known<DestinationRecord>;
  /** Lookup's cached facts of the number (numbers only). */
  cachedFacts?: LineFacts;
  /** Today's counters, read ahead. */
  tally: PreparedVerifyCount;
  /** What the spend ceiling allowed: the code, and a Lookup when the cache says too little. */
  allowance: PaidAllowance;
}

const destinationLimited = ({ maxSends, windowMinutes }: VerifySettings, retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', `At most ${maxSends} codes per ${windowMinutes} minutes to one destination`, { retryAfterSeconds });

const rangeExhausted = (request: StartRequest, now: Date) =>
  new AppError(
    429,
    'range_budget_exhausted',
    request.channel === 'email'
      ? 'Too many codes to addresses at this domain this hour'
      : 'Too many codes to numbers in this range this hour',
    { retryAfterSeconds: secondsToNextHour(now) },
  );

/** The paid actions a start takes: the code, and a Lookup first when the cache says too little (numbers only). */
function paidActions({ settings }: VerifyContext, request: StartRequest, cachedFacts: LineFacts | undefined): PaidAction[] {
  const lookup = request.channel !== 'email' && needsLookup(cachedFacts, settings.verify.lookupPumpingRisk);
  return lookup ? ['lookup', 'verification'] : ['verification'];
}

/**
 * Our own limit per destination (VERIFY_MAX_SENDS per VERIFY_WINDOW_MIN, 429 with Retry-After),
 * then the hourly budget of the number's range (VERIFY_PREFIX_BUDGET: stops a pumping run through
 * one range) or of the email's domain (VERIFY_EMAIL_DOMAIN_BUDGET), then the spend ceiling
 * (PAID_ACTIONS_PER_HOUR: a code, and a Lookup when not cached). Decided from `readLimits`: a
 * refusal writes nothing (an attacker buys no writes). Otherwise all are spent side by side with
 * If-Match, beside reading today's counters; when the ceiling's shard read is spent, the ceiling
 * is spent first (it looks at its other shards), so its refusal writes nothing either. A start
 * that lost a race for the destination's last attempt gives its range send back.
 */
export async function enforceLimits(context: VerifyContext, request: StartRequest, state: LimitState, now = new Date()): Promise<Reserved> {
  const { stores, settings } = context;
  const { maxSends, windowMinutes } = settings.verify;
  const windowMs = windowMinutes * 60_000;
  const first = reserveIn(dataOf(state.destination), maxSends, windowMs, now.getTime());
  if (!first.allowed) throw destinationLimited(settings.verify, first.retryAfterSeconds);
  const { range, ceiling, cachedFacts } = state;
  if (!HourlyBudgetStore.hasRoom(range.known, range.budget)) throw rangeExhausted(request, now);
  if (ceilingSeenSpent(ceiling)) throw budgetExhausted(now);
  const actions = paidActions(context, request, cachedFacts);
  const allowed = ceilingHasRoom(context, ceiling, actions) ? undefined : await spendCeiling(context, actions, ceiling, now);
  const [reservation, spent, allowance, tally] = await allInOrder([
    stores.verifyDestinations.reserveAttempt(request.key, maxSends, windowMs, now.getTime(), state.destination),
    stores.rangeBudgets.spend(range.key, range.hour, range.budget, range.known),
    allowed ?? spendCeiling(context, actions, ceiling, now),
    prepareVerifyCount(stores, now),
  ]);
  if (!reservation.allowed) {
    if (spent) await stores.rangeBudgets.refund(range.key, range.hour);
    throw destinationLimited(settings.verify, reservation.retryAfterSeconds);
  }
  if (!spent) throw rangeExhausted(request, now);
  return { record: reservation.record, known: reservation.known, tally, allowance, ...(cachedFacts ? { cachedFacts } : {}) };
}

/**
 * Lookup's verdict on the number for this channel (cached a day): nothing for email. A fresh
 * answer is paid for, so it is kept and counted even when the line is refused.
 */
export async function enforceLinePolicy(
  context: VerifyContext,
  request: StartRequest,
  reserved: Reserved,
): Promise<LineAnswer | undefined> {
  if (request.channel === 'email') return undefined;
  const { verify } = context.settings;
  const answer = await lineFacts(context, request.to, verify.lookupPumpingRisk, reserved.cachedFacts, reserved.allowance);
  try {
    refuseRiskyLine(request.channel, answer.facts, verify);
  } catch (error) {
    if (answer.fresh)
      await allInOrder([keepLineFacts(context, request, answer), countVerifyPrepared(context.stores, reserved.tally, 'paid:lookup')]);
    throw error;
  }
  return answer;
}

const keepLineFacts = ({ stores }: VerifyContext, request: StartRequest, answer: LineAnswer | undefined) =>
  answer?.fresh ? stores.lookups.put(request.to, answer.facts) : undefined;

/** After VERIFY_VOICE_AFTER unused SMS codes, offer a call, or switch to it with VERIFY_ESCALATION=switch. */
export function chooseChannel(
  { settings }: VerifyContext,
  request: StartRequest,
  { smsSinceApproval }: DestinationRecord,
): Pick<StartResult, 'channel' | 'suggestedChannel' | 'escalatedFrom'> {
  const { verify } = settings;
  if (request.channel !== 'sms' || !verify.channels.includes('call')) return { channel: request.channel };
  if (smsSinceApproval < verify.voiceAfter) return { channel: 'sms' };
  return verify.escalation === 'switch' ? { channel: 'call', escalatedFrom: 'sms' } : { channel: 'sms', suggestedChannel: 'call' };
}

/**
 * Asks Twilio Verify to send the code (Twilio generates and keeps it; we never see it), keeping a
 * fresh Lookup answer meanwhile; then notes the send on the destination and counts it, side by
 * side, each in one write (from what `enforceLimits` wrote and read). Once Twilio has the
 * verification, the answer is success whatever the bookkeeping does.
 */
export async function sendCode(
  context: VerifyContext,
  request: StartRequest,
  channel: VerifyChannel,
  reserved: Reserved,
  line: LineAnswer | undefined,
): Promise<{ sid: string; status: string }> {
  const { stores, twilio, deadline } = context;
  const paidLookup = line?.fresh ? ['paid:lookup'] : [];
  paidFor(reserved.allowance, 'verification');
  const creating = sentOnce(deadline, () =>
    twilio()
      .verify.v2.services(verifyServiceSid(context))
      .verifications.create({ to: request.to, channel, ...(request.locale ? { locale: request.locale } : {}) }),
  );
  const keeping = keepLineFacts(context, request, line);
  // Awaited below, after the create: marked handled now so an early failure is not an unhandled rejection.
  keeping?.catch(() => undefined);
  let verification;
  try {
    verification = await creating;
  } catch (error) {
    // The Lookup was paid for all the same.
    await allInOrder([keeping, paidLookup.length > 0 ? countVerifyPrepared(stores, reserved.tally, ...paidLookup) : undefined]).catch(
      () => undefined,
    );
    throw error;
  }
  // Twilio is sending the code: the bookkeeping's failure is logged, never the caller's failure (a
  // retry would send a second code).
  await afterAccepted(verification.sid, () =>
    allInOrder([
      keeping,
      stores.verifyDestinations.recordSent(request.key, channel, Date.now(), reserved.known),
      countVerifyPrepared(stores, reserved.tally, 'paid:verification', `sent:${channel}`, ...paidLookup),
    ]),
  );
  return { sid: verification.sid, status: verification.status };
}
