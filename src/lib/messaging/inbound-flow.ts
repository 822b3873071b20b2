import type { Settings } from '../config/settings';
import { log } from '../logging/log';
import { readAddress, type MessagingChannel } from '../outbound/address';
import { cancelScheduled, mayReply, type GateContext } from '../outbound/gate';
import type { InboundMessage } from '../stores/inbox';
import { routeKeyword } from '../whatsapp/keyword-router';
import { classifyKeyword } from './keywords';
import { forwardAndReply, noReply, textReply, type MessagingResponse } from './replies';

/** Where SMS and WhatsApp differ in answering an inbound message: policy, as data. */
interface ChannelPolicy {
  /** Whether we confirm STOP/START ourselves: Twilio's opt-out handling answers SMS unless OPT_OUT_REPLIES=ours; WhatsApp has none. */
  confirmsConsent(settings: Settings): boolean;
  helpText(settings: Settings): string;
  /** The reply to a message that is not a keyword, if any. */
  replyTo(body: string, settings: Settings): string | undefined;
  /** Whether such messages are forwarded to FORWARD_TO. */
  forwards: boolean;
}

const POLICIES: Readonly<Record<MessagingChannel, ChannelPolicy>> = {
  sms: {
    confirmsConsent: (settings) => settings.optOutReplies === 'ours',
    helpText: (settings) => settings.helpMessage,
    replyTo: (_, settings) => settings.autoReply,
    forwards: true,
  },
  whatsapp: {
    confirmsConsent: () => true,
    helpText: (settings) => settings.whatsapp.helpText,
    replyTo: (body, settings) => routeKeyword(body, settings.whatsapp),
    forwards: false,
  },
};

/** The keyword as the person typed it, kept with the consent record (bounded). */
const typedKeyword = (body: string): string => body.trim().slice(0, 32);

/**
 * The one inbound flow, SMS and WhatsApp alike. STOP/START/HELP come first and depend on nothing
 * optional; a STOP also cancels re-sends already scheduled to that person on that channel.
 * Anything else is kept for the team, forwarded (SMS) and answered, each reply only when the
 * outbound gate clears it. Replies are TwiML, never extra REST calls.
 */
export async function answerInbound(context: GateContext, message: InboundMessage): Promise<MessagingResponse> {
  const { settings, stores } = context;
  const { channel, number } = readAddress(message.from);
  const policy = POLICIES[channel];
  switch (classifyKeyword(message.body)) {
    case 'opt-out':
      await stores.consent.optOut(channel, number, 'keyword', typedKeyword(message.body));
      await cancelScheduled(context, channel, number).catch((error: unknown) =>
        // Twilio refuses those sends anyway (21610); the opt-out is recorded, so the STOP is answered.
        log('error', 'cancel_scheduled_failed', { channel, error: error instanceof Error ? error.message : String(error) }),
      );
      return policy.confirmsConsent(settings) ? textReply(settings.optOutMessage) : noReply();
    case 'opt-in':
      await stores.consent.optIn(channel, number, 'keyword', typedKeyword(message.body));
      return policy.confirmsConsent(settings) ? textReply(settings.optInMessage) : noReply();
    case 'help':
      return textReply(policy.helpText(settings));
    default: {
      await stores.inbox.keep(message);
      const forwardTo = policy.forwards ? settings.forwardTo : undefined;
      const reply = policy.replyTo(message.body, settings);
      const [forward, answer] = await Promise.all([
        forwardTo ? mayReply(context, { channel: 'sms', to: forwardTo, trigger: 'staff' }) : false,
        reply ? mayReply(context, { channel, to: number, trigger: 'outsider' }) : false,
      ]);
      return forwardAndReply(message, { forwardTo: forward ? forwardTo : undefined, reply: answer ? reply : undefined });
    }
  }
}
