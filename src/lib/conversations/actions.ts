import { AppError, badRequest } from '../errors/app-error';
import { isTwilioRestError } from '../errors/twilio-errors';
import { optionalString, requiredPhone, requiredString } from '../http/params';
import { json, type Reply } from '../http/reply';
import { twilioAddress, type MessagingChannel } from '../outbound/address';
import { addThreadMessage } from '../outbound/gate';
import { normalizePhone } from '../phone/e164';
import type { RouteInput } from '../runtime/route';
import { idempotencyTag } from '../runtime/idempotency';
import { readThreadContent } from './content';
import { tagAttributes } from './lost-replies';
import { clearThread, participantsOf, type ThreadParticipant } from './participants';
import { checkConversationSid, conversationsService, threadProxyAddress } from './service';

/** Who wrote a message, as the thread shows it (an agent's name or identity). */
const readAuthor = (input: RouteInput): string => requiredString(input.params, 'author', { maxLength: 256 });

/** "Can't update conversation as it's in final closed state" (50377): refused before anything is sent. */
function refuseClosed(state: string): void {
  if (state === 'closed')
    throw new AppError(409, 'conversation_closed', 'The conversation is closed: start a new one (POST /conversations/start)');
}

/**
 * POST /conversations/reply: `{ conversationSid, author, body | contentSid (+contentVariables) }`.
 * Every messaging participant is cleared by the outbound gate first (409 `opted_out`, 409
 * `template_required` outside a WhatsApp window without a template, 403 for a country not
 * allowed); then the message is added to the conversation, which delivers it to each of them.
 */
export async function replyInThread(input: RouteInput): Promise<Reply> {
  const conversationSid = checkConversationSid(requiredString(input.params, 'conversationSid', { maxLength: 64 }));
  const author = readAuthor(input);
  const content = readThreadContent(input.params);
  const { service, serviceSid } = conversationsService(input);
  const [conversation, participants] = await Promise.all([
    service.conversations(conversationSid).fetch(),
    participantsOf(service, conversationSid),
  ]);
  refuseClosed(conversation.state);
  const { clearances, template } = await clearThread(input, participants, content);
  // Tagged with its Idempotency-Key (hashed), so a retry whose outcome was lost finds it (lost-replies.ts).
  const tag = idempotencyTag(input);
  const message = await addThreadMessage(input, clearances, {
    serviceSid,
    conversationSid,
    author,
    ...content,
    template,
    ...(tag ? { attributes: tagAttributes(tag) } : {}),
  });
  return json({
    conversationSid,
    messageSid: message.sid,
    index: message.index,
    path: template ? 'template' : 'session',
    recipients: clearances.map(({ channel, to }) => ({ channel, to })),
  });
}

/** The conversation holding a pair, from Twilio's 50416 ("… already exists in Conversation CH…", https://twilio.com/docs/api/errors/50416). */
function pairHolder(error: unknown): string | undefined {
  if (!isTwilioRestError(error) || error.code !== 50416) return undefined;
  return /CH[0-9a-f]{32}/.exec(error.message)?.[0];
}

/**
 * POST /conversations/start: `{ to, channel (sms|whatsapp), body | contentSid, author? }`. The
 * recipient is cleared by the gate first; a new conversation is opened with them bound to the
 * channel's proxy address (CONVERSATIONS_NUMBER for SMS, WHATSAPP_FROM for WhatsApp: the address
 * their replies come back to), or, when that pair is already bound in an open conversation ("one active
 * conversation per address pair", 50416), that conversation is reused and the new one removed.
 */
export async function startThread(input: RouteInput): Promise<Reply> {
  const { params, settings } = input;
  const channelText = optionalString(params, 'channel', { maxLength: 16 }) ?? 'sms';
  if (channelText !== 'sms' && channelText !== 'whatsapp') throw badRequest('invalid_parameter', '"channel" must be sms or whatsapp');
  const channel: MessagingChannel = channelText;
  const to = normalizePhone(requiredPhone(params, 'to').replace(/^whatsapp:/, ''), { defaultCountry: settings.defaultCountry }).e164;
  const author = optionalString(params, 'author', { maxLength: 256 }) ?? 'system';
  const content = readThreadContent(params);
  const { service, serviceSid } = conversationsService(input);
  const proxyAddress = threadProxyAddress(input, channel);
  const customer: ThreadParticipant = { sid: '', channel, number: to };
  const { clearances, template } = await clearThread(input, [customer], content);

  const created = await service.conversations.create({ friendlyName: `${channel} ${to}` });
  let conversationSid = created.sid;
  let reused = false;
  try {
    await service.conversations(created.sid).participants.create({
      'messagingBinding.address': twilioAddress(channel, to),
      'messagingBinding.proxyAddress': proxyAddress,
    });
  } catch (error) {
    const holder = pairHolder(error);
    if (!holder) {
      await service
        .conversations(created.sid)
        .remove()
        .catch(() => undefined);
      throw error;
    }
    conversationSid = holder;
    reused = true;
  }
  if (reused) await service.conversations(created.sid).remove();
  const message = await addThreadMessage(input, clearances, { serviceSid, conversationSid, author, ...content, template });
  return json({ conversationSid, reused, messageSid: message.sid, channel, to }, reused ? 200 : 201);
}

/** POST /conversations/close: `{ conversationSid }` moves it to `closed` (final: its address pairs are free again). */
export async function closeThread(input: RouteInput): Promise<Reply> {
  const conversationSid = checkConversationSid(requiredString(input.params, 'conversationSid', { maxLength: 64 }));
  const { service } = conversationsService(input);
  const conversation = await service.conversations(conversationSid).update({ state: 'closed' });
  return json({ conversationSid, state: conversation.state });
}
