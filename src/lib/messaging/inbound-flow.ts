import type { Settings } from '../config/settings';
import { describeError, log } from '../logging/log';
import { channelKey, readAddress, type MessagingChannel } from '../outbound/address';
import { cancelScheduledAfterOptOut, mayReply, type GateContext, type Importance } from '../outbound/gate';
import type { Purpose } from '../outbound/purpose';
import { noteSkippedNotice } from '../outbound/skipped-notices';
import { allInOrder } from '../runtime/all-in-order';
import { ownChangeEvent } from '../stores/consent-history';
import type { InboundMessage } from '../stores/inbox';
import { routeKeyword } from '../whatsapp/keyword-router';
import { keywordOfOptOutType } from './keywords';
import { classifyIntent, type MessageIntent, type OptOutScope } from './opt-out-intent';
import { forwardAndReply, noReply, textReply, type MessagingResponse } from './replies';

/** Where SMS and WhatsApp differ in answering an inbound message: policy, as data. */
interface ChannelPolicy {
  /**
   * Whether we answer this STOP/START/HELP ourselves: on SMS Twilio's keyword handling answers them
   * unless OPT_OUT_REPLIES=ours (two answers would confuse people). On WhatsApp Twilio's handling
   * does not apply, so we answer, and our consent store is what stops WhatsApp sends; except a
   * keyword Twilio posted with OptOutType (a Messaging Service's Advanced Opt-Out, which also opts
   * WhatsApp users out: our answer would be refused with 21610).
   */
  answersKeywords(settings: Settings, intent: MessageIntent): boolean;
  helpText(settings: Settings): string;
  /** The reply to a message that is not a keyword, if any. */
  replyTo(body: string, settings: Settings): string | undefined;
  /** Whether such messages are forwarded to FORWARD_TO. */
  forwards: boolean;
}

const POLICIES: Readonly<Record<MessagingChannel, ChannelPolicy>> = {
  sms: {
    answersKeywords: (settings) => settings.optOutReplies === 'ours',
    helpText: (settings) => settings.helpMessage,
    replyTo: (_, settings) => settings.autoReply,
    forwards: true,
  },
  whatsapp: {
    // Twilio's keyword handling is "for Toll-Free and Long Code messages" (https://help.twilio.com/hc/en-us/articles/223134027-Twilio-support-for-opt-out-keywords-SMS-STOP-filtering-); "WhatsApp also requires businesses to respect opt-out requests" (https://www.twilio.com/docs/whatsapp/api).
    answersKeywords: (_, intent) => !twilioRecognised(intent),
    helpText: (settings) => settings.whatsapp.helpText,
    replyTo: (body, settings) => routeKeyword(body, settings.whatsapp),
    forwards: false,
  },
};

/** The rule of a keyword Twilio recognised itself (`OptOutType` on the inbound webhook, see intentOf). */
const TWILIO_OPT_OUT_TYPE = 'twilio.OptOutType.';
const twilioRecognised = (intent: MessageIntent): boolean => 'rule' in intent && intent.rule.startsWith(TWILIO_OPT_OUT_TYPE);

/** The campaign that messaged this person in the last 24 h, if any; never fails the STOP. */
async function campaignWithin24h({ stores }: GateContext, channel: MessagingChannel, number: string): Promise<string | undefined> {
  try {
    return await stores.campaignRecipients.within24h(channel, number);
  } catch (error) {
    log('warn', 'campaign_stop_not_counted', { error: describeError(error) });
    return undefined;
  }
}

/** A STOP within 24 h of a campaign's message counts against that campaign (a figure marketers watch); never fails the STOP. */
async function countStopAgainstCampaign({ stores }: GateContext, campaign: string | undefined): Promise<void> {
  if (!campaign) return;
  try {
    await stores.campaigns.stats.increment(campaign, 'stops');
  } catch (error) {
    log('warn', 'campaign_stop_not_counted', { error: describeError(error) });
  }
}

/**
 * The opt-out's write and the campaign lookup side by side, then what follows an opt-out: one
 * branch, so the history's append (and its day count) runs beside the whole of it, not before
 * the follow-up. Whether the opt-out was new.
 */
async function optOutThen(
  optOut: Promise<boolean>,
  campaign: Promise<string | undefined>,
  after: (outcome: { newOptOut: boolean; campaign: string | undefined }) => Promise<void>,
): Promise<boolean> {
  const [newOptOut, within24h] = await allInOrder([optOut, campaign]);
  await after({ newOptOut, campaign: within24h });
  return newOptOut;
}

/** Where staff read one kept inbound message (GET /sms/inbox, bearer): what a PHI-mode forward links to. */
const inboxUrl = (settings: Settings, sid: string): string => `${settings.publicBaseUrl}/sms/inbox?sid=${encodeURIComponent(sid)}`;

/** The keyword as the person typed it, kept with the consent record (bounded). */
const typedKeyword = (body: string): string => body.trim().slice(0, 32);

/**
 * After an opt-out is written: what is already scheduled to that person on that channel is
 * cancelled (everything for STOP; the marketing held for quiet hours for an opt-out of marketing
 * only), and, for a new opt-out only, the campaign that messaged them in the last 24 h counts a
 * stop (a repeated STOP, or words after STOP, changed nothing and is not counted again). Neither
 * fails the opt-out.
 */
async function afterOptOut(
  context: GateContext,
  channel: MessagingChannel,
  number: string,
  { scope, newOptOut, campaign }: { scope: OptOutScope; newOptOut: boolean; campaign: string | undefined },
): Promise<void> {
  await Promise.all([
    cancelScheduledAfterOptOut(context, channel, number, scope === 'marketing' ? 'marketing' : 'all'),
    newOptOut ? countStopAgainstCampaign(context, campaign) : undefined,
  ]);
}

/**
 * Whether this person may get the one clarifying reply ("Reply STOP to stop all messages") now:
 * once a week per channel and number, claimed in Sync; a Sync failure means no reply, never a
 * failed webhook.
 */
async function mayClarify({ stores }: GateContext, channel: MessagingChannel, number: string): Promise<boolean> {
  try {
    return await stores.optOutClarifications.claim(channelKey(channel, number));
  } catch (error) {
    log('warn', 'opt_out_clarification_skipped', { channel, error: describeError(error) });
    return false;
  }
}

/**
 * What an inbound message says about consent, recorded: STOP (and the other opt-out keywords)
 * and an opt-out in plain words write the opt-out for that channel and number, cancel what is
 * scheduled to them and count a campaign's stop (a new opt-out only); START writes the opt-in. Returns the message's
 * intent (classifyIntent: fixed rules, no network) so the caller answers it as its channel may:
 * the inbound webhooks with TwiML, Conversations' pre-action webhook not at all; and, for an
 * opt-out, whether it is a new one (the number had not already opted out of everything on the
 * channel, nor of marketing for a marketing-only one): only a new one is confirmed.
 */
export async function recordConsentIntent(
  context: GateContext,
  channel: MessagingChannel,
  number: string,
  body: string,
  receivedAt: Date,
  intent: MessageIntent = classifyIntent(body),
): Promise<{ intent: MessageIntent; newOptOut: boolean }> {
  const { stores } = context;
  // Each change also joins the number's consent history, written beside the current state. An
  // opt-out's sender most often has no history yet (one create, see ConsentHistoryStore.append);
  // a START's most often has, from its STOP (a read and an If-Match write).
  // Its source is `<method>:<what>`: `keyword:STOP`, `words:<rule>`.
  const appendHistory = (change: 'opt-in' | 'opt-out', method: 'keyword' | 'words', what: string, purpose: Purpose = 'transactional') =>
    stores.consentHistory.append(number, ownChangeEvent(channel, change, `${method}:${what}`, receivedAt, purpose), {
      method,
      likely: change === 'opt-out' ? 'absent' : 'present',
    });
  if (intent.kind === 'keyword' && intent.keyword === 'opt-out') {
    // The campaign is looked up beside the opt-out write; what is scheduled only after it (see cancelScheduled).
    const [newOptOut] = await allInOrder([
      optOutThen(
        stores.consent.optOut(channel, number, 'keyword', typedKeyword(body), receivedAt),
        campaignWithin24h(context, channel, number),
        (outcome) => afterOptOut(context, channel, number, { scope: 'all', ...outcome }),
      ),
      appendHistory('opt-out', 'keyword', typedKeyword(body)),
    ]);
    return { intent, newOptOut };
  } else if (intent.kind === 'keyword' && intent.keyword === 'opt-in') {
    await allInOrder([
      stores.consent.optIn(channel, number, 'keyword', typedKeyword(body), receivedAt),
      appendHistory('opt-in', 'keyword', typedKeyword(body)),
    ]);
  } else if (intent.kind === 'opt-out') {
    const { scope, rule } = intent;
    const [newOptOut] = await allInOrder([
      optOutThen(
        stores.consent.optOutInWords(channel, number, { ...(scope === 'marketing' ? { scope } : {}), rule, text: body }, receivedAt),
        campaignWithin24h(context, channel, number),
        (outcome) => afterOptOut(context, channel, number, { scope, ...outcome }),
      ),
      appendHistory('opt-out', 'words', rule, scope === 'marketing' ? 'marketing' : 'transactional'),
    ]);
    return { intent, newOptOut };
  }
  return { intent, newOptOut: false };
}

/** The answer to what a message said about consent: its text, and how the gate treats it. */
export interface ConsentAnswer {
  text: string;
  importance: Importance;
  /** The one confirmation of an opt-out (mayReply's kind). */
  optOutConfirmation: boolean;
}

/**
 * What the inbound flow answers to a message about consent, decided once for every path (TwiML
 * at /sms/incoming and /whatsapp/incoming, a message from a Conversations webhook): a keyword
 * where this channel's policy answers keywords (on SMS Twilio's keyword handling answers them
 * unless OPT_OUT_REPLIES=ours), an opt-out in words always (Twilio does not see it); an opt-out
 * only when it is new (never twice). `{}` when such a message gets no answer; `undefined` when
 * the message is not about consent.
 */
export function consentAnswerOf(
  settings: Settings,
  channel: MessagingChannel,
  { intent, newOptOut }: { intent: MessageIntent; newOptOut: boolean },
): { answer?: ConsentAnswer } | undefined {
  const policy = POLICIES[channel];
  const answer = (text: string, importance: Importance, optOutConfirmation = false) => ({
    answer: { text, importance, optOutConfirmation },
  });
  if (intent.kind === 'keyword') {
    // The law's one confirmation: never twice (a repeated STOP, already opted out, gets none).
    if (!policy.answersKeywords(settings, intent) || (intent.keyword === 'opt-out' && !newOptOut)) return {};
    switch (intent.keyword) {
      case 'opt-out':
        return answer(settings.optOutMessage, 'essential', true);
      case 'opt-in':
        return answer(settings.optInMessage, 'essential');
      case 'help':
        return answer(policy.helpText(settings), 'non-essential');
    }
  }
  if (intent.kind === 'opt-out') {
    // One confirmation per opt-out: none when the number had already opted out (STOP, then words).
    if (!newOptOut) return {};
    return answer(intent.scope === 'marketing' ? settings.optOutMarketingMessage : settings.optOutMessage, 'essential', true);
  }
  return undefined;
}

/**
 * What the message asks for: the keyword Twilio already recognised (`OptOutType`, which carries a
 * Messaging Service's own Advanced Opt-Out keywords such as ARRET) first, else our classifier.
 */
function intentOf(message: InboundMessage): MessageIntent {
  const keyword = keywordOfOptOutType(message.optOutType);
  return keyword ? { kind: 'keyword', keyword, rule: `${TWILIO_OPT_OUT_TYPE}${message.optOutType ?? ''}` } : classifyIntent(message.body);
}

/**
 * The one inbound flow, SMS and WhatsApp alike. Each message is classified first (classifyIntent:
 * fixed rules, no network). STOP/START/HELP come first and depend on nothing optional; a STOP
 * also cancels re-sends already scheduled to that person on that channel. An opt-out in plain
 * words ("please stop texting me", "no más mensajes") is recorded in the same consent store, with
 * its rule and text, and always answered by us: Twilio's keyword handling does not see it. Our
 * answers to keywords are compliance replies: geography and the hourly limits apply, consent not.
 * Anything else is kept for the team, forwarded (SMS) and answered, each reply only when the
 * outbound gate clears it; a message that may mean stop ("no more") is answered with the one
 * clarifying reply instead (once a week), never an auto-reply. Replies are TwiML, never extra
 * REST calls. On a `secondChance` (an earlier attempt failed), such a message is kept before its
 * replies are cleared, so a Sync brown-out's repeated attempts do not spend the sender's hourly
 * reply budget again and again.
 */
export async function answerInbound(
  context: GateContext,
  message: InboundMessage,
  { secondChance = false }: { secondChance?: boolean } = {},
): Promise<MessagingResponse> {
  const { settings, stores } = context;
  const { channel, number } = readAddress(message.from);
  const policy = POLICIES[channel];
  const receivedAt = new Date(message.receivedAt);
  const outcome = await recordConsentIntent(context, channel, number, message.body, receivedAt, intentOf(message));
  const { intent } = outcome;
  const decided = consentAnswerOf(settings, channel, outcome);
  if (decided) {
    const { answer } = decided;
    if (!answer) return noReply();
    // A compliance reply (a confirmation, HELP), when the gate clears it; the one confirmation of
    // an opt-out is never paused by the kill switch and exempt from the spend ceiling.
    const recipient = { channel, to: number, trigger: 'outsider', importance: answer.importance } as const;
    const cleared = await mayReply(context, recipient, { compliance: true, optOutConfirmation: answer.optOutConfirmation });
    return cleared ? textReply(answer.text) : noReply();
  }
  const forwardTo = policy.forwards ? settings.forwardTo : undefined;
  const ambiguous = intent.kind === 'ambiguous';
  const reply = ambiguous ? settings.optOutClarifyMessage : policy.replyTo(message.body, settings);
  const clearReplies = () =>
    allInOrder([
      // Staff chose the number, the sender how many: a forward spends from the spend ceiling, and is skipped (counted) once it is spent.
      forwardTo
        ? mayReply(
            context,
            { channel: 'sms', to: forwardTo, trigger: 'staff', importance: 'essential', causedBy: 'outsider' },
            { onCeilingSpent: () => noteSkippedNotice(context, 'forward') },
          )
        : false,
      reply ? clearReply() : false,
    ]);
  /** The reply to the sender: a clarifying one is claimed first (once a week), and given back when the gate refuses it. */
  const clearReply = async () => {
    if (!ambiguous) return mayReply(context, { channel, to: number, trigger: 'outsider', importance: 'non-essential' });
    if (!(await mayClarify(context, channel, number))) return false;
    // How to opt out, once a week at most: it serves the person's consent, so the kill switch does not hold it.
    const cleared = await mayReply(context, { channel, to: number, trigger: 'outsider', importance: 'essential' });
    if (!cleared) await stores.optOutClarifications.release(channelKey(channel, number)).catch(() => undefined);
    return cleared;
  };
  // Kept and cleared side by side (one after the other on a second chance): a message that
  // could not be kept fails the attempt (Twilio is sent back with it), replies or not.
  const [, [forward, answer]] = secondChance
    ? [await stores.inbox.keep(message), await clearReplies()]
    : await allInOrder([stores.inbox.keep(message), clearReplies()]);
  return forwardAndReply(message, {
    forwardTo: forward ? forwardTo : undefined,
    reply: answer ? reply : undefined,
    readAt: settings.phiMode ? inboxUrl(settings, message.sid) : undefined,
  });
}

/**
 * Opens or renews a WhatsApp user's 24-hour window. A failure is logged, not thrown: the window
 * only decides free-form vs template later, while the message itself must still be handled.
 */
export async function openSession(stores: GateContext['stores'], message: InboundMessage): Promise<void> {
  try {
    await stores.sessions.open(readAddress(message.from).number, message.profileName);
  } catch (error) {
    log('error', 'session_not_opened', { error: describeError(error) });
  }
}
