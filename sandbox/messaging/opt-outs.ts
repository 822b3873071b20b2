/**
 * Twilio's default opt-out handling ("SMS STOP filtering"): a user who texts an opt-out keyword to
 * one of the account's numbers can no longer be messaged from it until they text an opt-in keyword.
 *
 * Keywords (https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out): "By default, Twilio
 * handles standard English-language reply messages—STOP, UNSUBSCRIBE, END, QUIT, STOPALL, REVOKE,
 * OPTOUT, and CANCEL"; START, YES and UNSTOP opt back in (Twilio's support article "Twilio support
 * for opt-out keywords (SMS STOP filtering)",
 * https://help.twilio.com/hc/en-us/articles/223134027-Twilio-support-for-opt-out-keywords-SMS-STOP-filtering-).
 * That article: "Only single-word messages will trigger the block … replying STOP will stop the
 * customer …, but replying 'STOP PLEASE' … will not", and "the block works and is logged even if
 * your number currently has no messaging request URL".
 *
 * Scope: per sender number, and for a number in a Messaging Service the whole service. Twilio's
 * error 21610 page (https://www.twilio.com/docs/api/errors/21610): "The person you are trying to
 * message has opted out of messages from your message sender or Messaging Service"; Twilio's support
 * article on 21610 (https://support.twilio.com/hc/en-us/articles/223133627, as quoted by Twilio
 * customers): "When a user opts out of a phone number that belongs to a Messaging Service, the user
 * is also opted out to receiving all messages sent from that particular Messaging Service"; and the
 * Proxy page (https://www.twilio.com/docs/proxy/opt-out-keywords): "Unlike with a Messaging Service,
 * opt-out keyword replies will not apply to the entire pool of phone numbers in a Proxy Service pool".
 * A send counts as "from the service" when it names the service (MessagingServiceSid) or comes
 * From a number in its sender pool.
 *
 * WhatsApp: Twilio's default keyword handling is documented "for Toll-Free and Long Code messages"
 * (the article above), unified "across RCS, SMS, and MMS channels"
 * (https://www.twilio.com/en-us/changelog/twilio-now-supports-unified-opt-outs-across-rcs--sms--and-mms-ch);
 * for WhatsApp, "WhatsApp also requires businesses to respect opt-out requests"
 * (https://www.twilio.com/docs/whatsapp/api), so a WhatsApp STOP to a sender outside Advanced
 * Opt-Out changes nothing here: no block, no 21610, no automatic reply. Only a Messaging Service's
 * Advanced Opt-Out reaches WhatsApp (https://support.twilio.com/hc/en-us/articles/360034798533):
 * "Custom opt-out settings also apply to any WhatsApp senders in the Messaging Service. If a
 * WhatsApp user texts one of those keywords, that user will be opted-out of further WhatsApp
 * messaging from your Twilio WhatsApp sender and your Messaging Service". Opt-outs are per channel:
 * a WhatsApp STOP blocks WhatsApp sends, an SMS STOP blocks SMS sends.
 *
 * O(1) per keyword and per check (one map entry per (channel, scope, user)).
 */
import type { MessageRecord } from '../api/messages';
import type { DeliveryOutcome } from '../magic-numbers';
import { isWhatsApp } from '../whatsapp/addresses';
import { customKeywordType, type AdvancedOptOutConfig, type OptOutType } from './advanced-opt-out';

export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
/** "HELP and INFO will return a message informing the customer that they can use the above commands" (https://www.twilio.com/help/faq/sms/does-twilio-support-stop-block-and-cancel-aka-sms-filtering). */
const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

export type OptOutChannel = 'sms' | 'whatsapp';

/** What an inbound keyword asks for (`STOP` / `START` / `HELP`, as Twilio's OptOutType names them). */
export interface OptKeyword {
  type: OptOutType;
  /** The keyword as Twilio lists it (upper case). */
  keyword: string;
}

/**
 * Twilio's automatic confirmations on long codes (quoted by Twilio customers, e.g.
 * https://blog.textit.in/tracking-opt-outs); Twilio sends them itself, free of charge.
 */
export const OPT_OUT_CONFIRMATION =
  'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.';
export const OPT_IN_CONFIRMATION =
  'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.';
/**
 * Twilio's default answer to HELP / INFO: Twilio describes it ("a message informing the customer
 * that they can use the above commands to control the delivery of messages", FAQ above) without
 * quoting it on a page found; this is the sandbox's wording of that description.
 */
export const HELP_REPLY = 'Reply STOP to unsubscribe. Reply START to resubscribe. Msg&Data Rates May Apply.';

/**
 * Toll-free numbers: "a layer of opt-out handling outside of Twilio that cannot be removed or
 * customized"; the carrier's replies, quoted in Twilio support's "Opt-out keyword handling (SMS
 * STOP Filtering) for Toll-Free SMS" (https://support.twilio.com/hc/en-us/articles/360058144374);
 * the opt-in reply names the word sent ("Start", "Unstop").
 */
export const TOLL_FREE_OPT_OUT_REPLY =
  'NETWORK MSG: You replied with the word "stop" which blocks all texts sent from this number. Text back "unstop" to receive messages again.';
export const tollFreeOptInReply = (keyword: string): string =>
  `NETWORK MSG: You have replied "${keyword.charAt(0)}${keyword.slice(1).toLowerCase()}" and will begin receiving messages again from this number.`;

/** Twilio's 21610 (https://www.twilio.com/docs/api/errors/21610), as the REST error and as a failed message. */
export const UNSUBSCRIBED_RECIPIENT: DeliveryOutcome = {
  status: 'failed',
  code: 21610,
  message: 'Attempt to send to unsubscribed recipient',
};

/**
 * Whitespace and punctuation around the word. Twilio documents single-word matching only; that
 * the case and surrounding spaces / punctuation ("stop", " Stop. ") do not matter is the sandbox's
 * reading (Twilio's toll-free article quotes users' "stop" and "unstop" in lower case).
 */
const EDGES = /^[\s\p{P}]+|[\s\p{P}]+$/gu;
const KEYWORD_TYPES: ReadonlyMap<string, OptKeyword['type']> = new Map([
  ...OPT_OUT_KEYWORDS.map((k) => [k, 'STOP'] as const),
  ...OPT_IN_KEYWORDS.map((k) => [k, 'START'] as const),
  ...HELP_KEYWORDS.map((k) => [k, 'HELP'] as const),
]);

/**
 * The opt-out / opt-in / help keyword a whole message body is, or `null` ("STOP PLEASE" is not
 * one): a Messaging Service's Advanced Opt-Out keywords (`custom`) first, then Twilio's own.
 */
export function classifyOptKeyword(body: string, custom?: AdvancedOptOutConfig): OptKeyword | null {
  const word = body.replace(EDGES, '').toUpperCase();
  const type = (custom && customKeywordType(custom, word)) ?? KEYWORD_TYPES.get(word);
  return type ? { type, keyword: word } : null;
}

export interface OptOutEntry {
  /** The user's number, bare E.164 (no `whatsapp:`). */
  user: string;
  /** What the user opted out of: a sender number (bare E.164) or a Messaging Service SID (`MG…`). */
  sender: string;
  channel: OptOutChannel;
  /** When (epoch ms, sandbox clock). */
  at: number;
}

/** Who would send a message, for the opt-out check. */
export interface SendAttempt {
  /** The recipient, `+E164` or `whatsapp:+E164`. */
  to: string;
  /** The sender number, with or without a channel prefix; `null` when a Messaging Service will pick one. */
  from: string | null;
  messagingServiceSid: string | null;
}

const bare = (address: string): string => address.slice(address.indexOf(':') + 1);

const channelOfAddress = (address: string): OptOutChannel => (isWhatsApp(address) ? 'whatsapp' : 'sms');

/** The account's opt-outs, in memory. */
export class OptOutRegistry {
  private readonly entries = new Map<string, OptOutEntry>();

  /** `servicesOf(number)`: the SIDs of the Messaging Services whose sender pool holds the number. */
  constructor(private readonly servicesOf: (number: string) => readonly string[]) {}

  /** What a keyword texted to `number` applies to: the number's Messaging Services, else the number. */
  scopesOf(number: string): string[] {
    const services = this.servicesOf(bare(number));
    return services.length > 0 ? [...services] : [bare(number)];
  }

  /** Applies a keyword `user` texted to the account's `number` on `channel`; returns the scopes it changed. */
  apply(keyword: OptKeyword, user: string, number: string, channel: OptOutChannel, at: number): string[] {
    const scopes = this.scopesOf(number);
    if (keyword.type === 'HELP') return scopes;
    for (const sender of scopes) {
      const key = entryKey(channel, sender, bare(user));
      // Re-inserting moves an opt-out to the end, so the list stays in the order of the latest keyword.
      this.entries.delete(key);
      if (keyword.type === 'STOP') this.entries.set(key, { user: bare(user), sender, channel, at });
    }
    return scopes;
  }

  /** True when the recipient opted out of the sender number, of a service holding it, or of the service used. */
  blocks(attempt: SendAttempt): boolean {
    const channel = channelOfAddress(attempt.to);
    const user = bare(attempt.to);
    const senders: string[] = [];
    if (attempt.from !== null) senders.push(bare(attempt.from), ...this.servicesOf(bare(attempt.from)));
    if (attempt.messagingServiceSid !== null) senders.push(attempt.messagingServiceSid);
    return senders.some((sender) => this.entries.has(entryKey(channel, sender, user)));
  }

  /** Current opt-outs, oldest first; `user` (with or without `whatsapp:`) keeps that user's. */
  list(user?: string): OptOutEntry[] {
    const all = [...this.entries.values()];
    return user === undefined ? all : all.filter((e) => e.user === bare(user));
  }
}

/**
 * How an outbound message ends because of an opt-out, judged when it is handed over (its sender
 * is known then): failed with 21610, or `null`. (Verify's codes are not Messages of the account:
 * Verify sends from Twilio's own senders, so the account's opt-outs never reach them.)
 */
export function optOutOutcome(registry: OptOutRegistry, message: MessageRecord): DeliveryOutcome | null {
  if (message.direction === 'inbound') return null;
  return registry.blocks(message) ? UNSUBSCRIBED_RECIPIENT : null;
}

function entryKey(channel: OptOutChannel, sender: string, user: string): string {
  return `${channel}|${sender}|${user}`;
}
