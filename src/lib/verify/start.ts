import type { VerifyChannel } from '../config/settings';
import { AppError } from '../errors/app-error';
import type { SendContext } from '../outbound/gate';
import type { Stores } from '../stores';
import { hourOf, secondsToNextHour } from '../stores/delivery-stats';
import { numberRange } from '../phone/e164';
import type { DestinationRecord } from '../stores/verify-destinations';
import type { StartRequest } from './destination';
import { lineFacts } from './line-facts';
import { refuseRiskyLine } from './line-policy';
import { countVerify } from './stats';
import { sentOnce } from '../twilio/request-policy';

export type VerifyContext = SendContext & { stores: Stores };

export interface StartResult {
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

/**
 * Our own limit per destination: VERIFY_MAX_SENDS per VERIFY_WINDOW_MIN, answered 429 with
 * Retry-After. Returns the destination's record (read and written once, here).
 */
export async function enforceDestinationLimit({ stores, settings }: VerifyContext, to: string): Promise<DestinationRecord> {
  const { maxSends, windowMinutes } = settings.verify;
  const reservation = await stores.verifyDestinations.reserveAttempt(to, maxSends, windowMinutes * 60_000);
  if (!reservation.allowed) {
    throw new AppError(429, 'rate_limited', `At most ${maxSends} codes per ${windowMinutes} minutes to one destination`, {
      retryAfterSeconds: reservation.retryAfterSeconds,
    });
  }
  return reservation.record;
}

/** The hourly budget of the number's range (VERIFY_PREFIX_BUDGET): stops a pumping run through one range. */
export async function enforceRangeBudget({ stores, settings }: VerifyContext, to: string, now = new Date()): Promise<void> {
  if (await stores.rangeBudgets.spend(numberRange(to), hourOf(now), settings.verify.prefixBudget)) return;
  throw new AppError(429, 'range_budget_exhausted', 'Too many codes to numbers in this range this hour', {
    retryAfterSeconds: secondsToNextHour(now),
  });
}

/** Lookup's verdict on the number for this channel (cached a day). */
export async function enforceLinePolicy(context: VerifyContext, request: StartRequest): Promise<void> {
  const { verify } = context.settings;
  refuseRiskyLine(request.channel, await lineFacts(context, request.to, verify.lookupPumpingRisk), verify);
}

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

/** Asks Twilio Verify to send the code (Twilio generates and keeps it; we never see it). */
export async function sendCode(
  context: VerifyContext,
  request: StartRequest,
  channel: VerifyChannel,
): Promise<{ sid: string; status: string }> {
  const { stores, twilio, deadline } = context;
  const verification = await sentOnce(deadline, () =>
    twilio()
      .verify.v2.services(verifyServiceSid(context))
      .verifications.create({ to: request.to, channel, ...(request.locale ? { locale: request.locale } : {}) }),
  );
  await stores.verifyDestinations.recordSent(request.key, channel);
  await countVerify(stores, 'paid:verification', `sent:${channel}`);
  return { sid: verification.sid, status: verification.status };
}
