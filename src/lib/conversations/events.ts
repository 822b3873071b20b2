import { AppError } from '../errors/app-error';
import { optionalString, requiredString } from '../http/params';
import { json, type Reply } from '../http/reply';
import { describeError, log } from '../logging/log';
import { consentAnswerOf, recordConsentIntent, type ConsentAnswer } from '../messaging/inbound-flow';
import { readAddress, type MessagingChannel } from '../outbound/address';
import { sendComplianceReply } from '../outbound/gate';
import type { RouteInput } from '../runtime/route';
import { alertOnLowDeliveryRate } from '../sms/delivery-alert';
import { isFailed, recordStatusCountingOnce } from '../sms/outcomes';
import { isMessageStatus } from '../sms/status';
import { rememberCarrierOptOut } from '../sms/status-callback';
import { clearThread, participantsOf, proxyAddressOf } from './participants';
import { conversationsService } from './service';

/** Pre-action webhooks may be fired for a messaging channel's action (`SMS`, `WHATSAPP`), the chat SDK's, or REST's. */
const MESSAGING_SOURCES: Readonly<Record<string, 'sms' | 'whatsapp'>> = { SMS: 'sms', WHATSAPP: 'whatsapp' };

/** The accepted answer: "respond with a 200 … to allow the action" (https://www.twilio.com/docs/conversations/conversations-webhooks). */
const allow = (): Reply => json({});

/**
 * `onMessageAdd` (pre-action). From a messaging participant (Source SMS / WHATSAPP): a WhatsApp
 * message opens that user's 24-hour window, and what it says about consent (STOP, START, an
 * opt-out in plain words) is recorded by the one inbound flow and answered as that flow decides
 * (answerInThread: the one confirmation of a new opt-out); the message itself is allowed into
 * the thread. From chat (the SDK) or anything else: refused, with a non-2xx answer that makes
 * Twilio drop the action, unless the thread's messaging participants clear the outbound gate.
 */
async function onMessageAdd(input: RouteInput): Promise<Reply> {
  const { params } = input;
  const conversationSid = requiredString(params, 'ConversationSid', { maxLength: 64 });
  const channel = MESSAGING_SOURCES[optionalString(params, 'Source', { maxLength: 16 })?.toUpperCase() ?? ''];
  const body = optionalString(params, 'Body', { maxLength: 100_000 }) ?? '';
  if (channel) {
    const author = requiredString(params, 'Author', { maxLength: 256 });
    const { number } = readAddress(author);
    if (channel === 'whatsapp') await input.stores.sessions.open(number, undefined);
    const outcome = await recordConsentIntent(input, channel, number, body, new Date());
    const answer = consentAnswerOf(input.settings, channel, outcome)?.answer;
    if (answer) await answerInThread(input, conversationSid, { channel, number, author }, answer);
    return allow();
  }
  const { service } = conversationsService(input);
  const participants = await participantsOf(service, conversationSid);
  await clearThread(input, participants, { body });
  return allow();
}

/**
 * The inbound flow's answer to a messaging participant (the one confirmation of an opt-out,
 * START's and HELP's where the channel's policy answers them), which a Conversations webhook
 * cannot give as TwiML: a message from the participant's proxy address (the number they wrote
 * to), to them alone, cleared as a TwiML reply is. Sent directly, not added to the conversation:
 * a conversation message would go to every messaging participant, and is added while Twilio
 * waits on this pre-action webhook for the person's own message. Never fails the webhook (the
 * person's message must still reach the thread): a failure is logged.
 */
async function answerInThread(
  input: RouteInput,
  conversationSid: string,
  person: { channel: MessagingChannel; number: string; author: string },
  answer: ConsentAnswer,
): Promise<void> {
  const { channel, number, author } = person;
  try {
    const { service } = conversationsService(input);
    const proxy = await proxyAddressOf(service, conversationSid, author);
    if (!proxy) {
      log('warn', 'conversation_answer_withheld', { channel, reason: 'no_proxy_address' });
      return;
    }
    const recipient = { channel, to: number, trigger: 'outsider', importance: answer.importance } as const;
    const from = readAddress(proxy).number;
    const sent = await sendComplianceReply(
      input,
      recipient,
      { optOutConfirmation: answer.optOutConfirmation },
      { body: answer.text, from },
    );
    if (!sent) log('info', 'conversation_answer_withheld', { channel, reason: 'gate' });
  } catch (error) {
    log('error', 'conversation_answer_failed', { channel, error: describeError(error) });
  }
}

/**
 * `onDeliveryUpdated` (post-action): a receipt of the channel message a conversation message
 * became, fed to the same bookkeeping as /sms/status (the message's record with its error code,
 * the delivery counters once per message, a carrier opt-out remembered, the low-delivery alert).
 * Never re-sent: the conversation, not this service, sent it. Twilio sends it "for every delivery
 * receipt notification" (https://www.twilio.com/docs/conversations/delivery-receipts), also for
 * messages our REST calls added without `X-Twilio-Webhook-Enabled`, which they therefore omit.
 */
async function onDeliveryUpdated(input: RouteInput): Promise<Reply> {
  const { params } = input;
  const sid = requiredString(params, 'ChannelMessageSid', { maxLength: 64 });
  const status = requiredString(params, 'Status', { maxLength: 32 }).toLowerCase();
  if (!isMessageStatus(status)) throw new AppError(400, 'invalid_parameter', `"Status" ${status} is not a message status`);
  const code = optionalString(params, 'ErrorCode', { maxLength: 10 });
  const errorCode = code === undefined || code === '0' ? undefined : Number(code);
  const { service } = conversationsService(input);
  const participant = await service
    .conversations(requiredString(params, 'ConversationSid', { maxLength: 64 }))
    .participants(requiredString(params, 'ParticipantSid', { maxLength: 64 }))
    .fetch();
  // Twilio's address of the participant (`+E164`, `whatsapp:+E164`), as /sms/status's `To`.
  const to = (participant.messagingBinding as { address?: string } | null)?.address ?? '';
  const callback = { sid, to, status, ...(Number.isInteger(errorCode) ? { errorCode } : {}), resendable: false };
  const record = await recordStatusCountingOnce(input.stores, callback);
  await rememberCarrierOptOut(input, callback);
  if (isFailed(record)) await alertOnLowDeliveryRate(input);
  return allow();
}

/**
 * POST /conversations/events: Conversations' pre- and post-action webhooks for the service. An
 * event this service does not handle is acknowledged (2xx: a pre-action one goes on).
 */
export async function answerConversationEvent(input: RouteInput): Promise<Reply> {
  const event = requiredString(input.params, 'EventType', { maxLength: 64 });
  switch (event) {
    case 'onMessageAdd':
      return onMessageAdd(input);
    case 'onDeliveryUpdated':
      return onDeliveryUpdated(input);
    default:
      log('info', 'conversation_event_ignored', { event });
      return allow();
  }
}
