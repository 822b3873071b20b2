// The one confirmation of an opt-out that did not come as a message we answer with TwiML: the
// IVR's 9 and an opt-out recorded through POST /consent. The law allows one text confirming a
// revocation, with no marketing in it, presumed timely within five minutes (47 CFR 64.1200(a)(12),
// FCC 24-24); its callers send it only for an opt-out that changed the number's consent, so it is
// never sent twice.
import { describeError, log } from '../logging/log';
import { maskPhone } from '../logging/redact';
import type { Channel } from '../outbound/address';
import { clearOptOutConfirmation, sendMessage, type GateContext } from '../outbound/gate';
import type { Purpose } from '../outbound/purpose';
import { AppError } from '../errors/app-error';
import type { ConsentChange } from './change';

/** How long after the opt-out a confirmation is still presumed timely (47 CFR 64.1200(a)(12): five minutes). */
const CONFIRMATION_WINDOW_MS = 5 * 60_000;

/** What became of the confirmation: sent (its Message SID), or why not. */
export type OptOutConfirmation =
  | { sent: true; sid: string }
  | { sent: false; reason: 'not_new' | 'too_late' | 'whatsapp' | 'sms_opted_out' | 'refused' | 'failed'; code?: string };

interface OptOutToConfirm {
  channel: Channel;
  /** E.164. */
  number: string;
  /** Marketing only, or everything on the channel. */
  purpose: Purpose;
  /** When the person opted out; a confirmation more than five minutes later is not sent. */
  at: Date;
  /** Who chose the number: our own systems (`api`), as for a callee of /voice/call. */
  trigger?: 'api' | 'outsider';
}

/** The confirmation says exactly what stopped: a marketing-only opt-out must not read as all messages or calls. */
function confirmationText(settings: GateContext['settings'], channel: Channel, purpose: Purpose): string {
  if (channel === 'voice') return purpose === 'marketing' ? settings.callOptOutMarketingMessage : settings.callOptOutMessage;
  return purpose === 'marketing' ? settings.optOutMarketingMessage : settings.optOutMessage;
}

/**
 * Sends the one confirmation by SMS (an SMS opt-out, or one of calls: texted unless the number
 * opted out of SMS too); a WhatsApp opt-out is not confirmed this way (outside the 24-hour window
 * Twilio refuses free-form WhatsApp messages, 63016). Never throws: a refusal or a failure is
 * logged and said in the answer, and the opt-out stands.
 */
export async function confirmOptOut(context: GateContext, optOut: OptOutToConfirm, now = new Date()): Promise<OptOutConfirmation> {
  const { settings, stores } = context;
  const { channel, number, purpose, at, trigger = 'api' } = optOut;
  if (channel === 'whatsapp') return { sent: false, reason: 'whatsapp' };
  if (now.getTime() - at.getTime() > CONFIRMATION_WINDOW_MS) return { sent: false, reason: 'too_late' };
  const body = confirmationText(settings, channel, purpose);
  try {
    // Texting someone about calls: only while they may still be texted.
    if (channel === 'voice' && (await stores.consent.isOptedOut('sms', number))) return { sent: false, reason: 'sms_opted_out' };
    const clearance = await clearOptOutConfirmation(context, { channel: 'sms', to: number, trigger });
    // Untracked: no status callback, so never re-sent (a re-send could confirm twice).
    const message = await sendMessage(context, clearance, { body, track: false });
    return { sent: true, sid: message.sid };
  } catch (error) {
    const refusal = error instanceof AppError && error.status < 500;
    log(refusal ? 'info' : 'error', 'opt_out_confirmation_not_sent', { to: maskPhone(number), channel, error: describeError(error) });
    return { sent: false, reason: refusal ? 'refused' : 'failed', ...(error instanceof AppError ? { code: error.code } : {}) };
  }
}

/**
 * `POST /consent`'s answer on confirmation: for an opt-out, the one text when it is new (an
 * opt-out recorded more than five minutes after the person made it is not confirmed: `too_late`),
 * else `not_new`; nothing for an opt-in.
 */
export async function confirmConsentChange(
  context: GateContext,
  { number, event }: ConsentChange,
  { newOptOut }: { newOptOut: boolean },
): Promise<OptOutConfirmation | undefined> {
  if (event.change !== 'opt-out') return undefined;
  if (!newOptOut) return { sent: false, reason: 'not_new' };
  return confirmOptOut(context, { channel: event.channel, number, purpose: event.purpose, at: new Date(event.at) });
}
