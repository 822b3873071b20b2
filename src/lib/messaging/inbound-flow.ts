import type { Settings } from '../config/settings';
import { describeError, log } from '../logging/log';
import { readAddress, type MessagingChannel } from '../outbound/address';
import { cancelScheduled, mayReply, type GateContext, type Importance } from '../outbound/gate';
import { allInOrder } from '../runtime/all-in-order';
import type { InboundMessage } from '../stores/inbox';
import { routeKeyword } from '../whatsapp/keyword-router';
import { classifyKeyword } from './keywords';
import { forwardAndReply, noReply, textReply, type MessagingResponse } from './replies';

/** Where SMS and WhatsApp differ in answering an inbound message: policy, as data. */
interface ChannelPolicy {
  /**
   * Whether we answer STOP/START/HELP ourselves: on SMS Twilio's keyword handling answers them
   * unless OPT_OUT_REPLIES=ours (two answers would confuse people); WhatsApp has none.
   */
  answersKeywords(settings: Settings): boolean;
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
    answersKeywords: () => true,
    helpText: (settings) => settings.whatsapp.helpText,
    replyTo: (body, settings) => routeKeyword(body, settings.whatsapp),
    forwards: false,
  },
};

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

/** Where staff read one kept inbound message (GET /sms/inbox, bearer): what a PHI-mode forward links to. */
const inboxUrl = (settings: Settings, sid: string): string => `${settings.publicBaseUrl}/sms/inbox?sid=${encodeURIComponent(sid)}`;

/** The keyword as the person typed it, kept with the consent record (bounded). */
const typedKeyword = (body: string): string => body.trim().slice(0, 32);

/**
 * The one inbound flow, SMS and WhatsApp alike. STOP/START/HELP come first and depend on nothing
 * optional; a STOP also cancels re-sends already scheduled to that person on that channel. Our
 * answers to keywords are compliance replies: geography and the hourly limits apply, consent not.
 * Anything else is kept for the team, forwarded (SMS) and answered, each reply only when the
 * outbound gate clears it. Replies are TwiML, never extra REST calls. On a `secondChance` (an
 * earlier attempt failed), such a message is kept before its replies are cleared, so a Sync
 * brown-out's repeated attempts do not spend the sender's hourly reply budget again and again.
 */
export async function answerInbound(
  context: GateContext,
  message: InboundMessage,
  { secondChance = false }: { secondChance?: boolean } = {},
): Promise<MessagingResponse> {
  const { settings, stores } = context;
  const { channel, number } = readAddress(message.from);
  const policy = POLICIES[channel];
  /** Our answer to a keyword, when this channel's policy answers and the gate clears a compliance reply. */
  const keywordAnswer = async (text: string, importance: Importance, { optOutConfirmation = false } = {}) =>
    policy.answersKeywords(settings) &&
    (await mayReply(context, { channel, to: number, trigger: 'outsider', importance }, { compliance: true, optOutConfirmation }))
      ? textReply(text)
      : noReply();
  switch (classifyKeyword(message.body)) {
    case 'opt-out': {
      // The campaign is looked up beside the opt-out write; what is scheduled only after it (see cancelScheduled).
      const [, campaign] = await allInOrder([
        stores.consent.optOut(channel, number, 'keyword', typedKeyword(message.body), new Date(message.receivedAt)),
        campaignWithin24h(context, channel, number),
      ]);
      await Promise.all([
        cancelScheduled(context, channel, number).catch((error: unknown) =>
          // Twilio refuses those sends anyway (21610); the opt-out is recorded, so the STOP is answered.
          log('error', 'cancel_scheduled_failed', { channel, error: describeError(error) }),
        ),
        countStopAgainstCampaign(context, campaign),
      ]);
      // The law's one confirmation: never paused by the kill switch, exempt from the spend ceiling.
      return keywordAnswer(settings.optOutMessage, 'essential', { optOutConfirmation: true });
    }
    case 'opt-in':
      await stores.consent.optIn(channel, number, 'keyword', typedKeyword(message.body), new Date(message.receivedAt));
      return keywordAnswer(settings.optInMessage, 'essential');
    case 'help':
      return keywordAnswer(policy.helpText(settings), 'non-essential');
    default: {
      const forwardTo = policy.forwards ? settings.forwardTo : undefined;
      const reply = policy.replyTo(message.body, settings);
      const clearReplies = () =>
        allInOrder([
          forwardTo ? mayReply(context, { channel: 'sms', to: forwardTo, trigger: 'staff', importance: 'essential' }) : false,
          reply ? mayReply(context, { channel, to: number, trigger: 'outsider', importance: 'non-essential' }) : false,
        ]);
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
  }
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
