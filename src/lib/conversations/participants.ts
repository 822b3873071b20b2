import { AppError } from '../errors/app-error';
import { readAddress, type MessagingChannel } from '../outbound/address';
import { clearRecipient, type Clearance } from '../outbound/gate';
import type { RouteInput } from '../runtime/route';
import { chooseSendPath } from '../whatsapp/send-path';
import type { conversationsService } from './service';

/** A conversation's participant as this service reads it: chat (identity) or messaging (channel and number). */
export interface ThreadParticipant {
  sid: string;
  identity?: string;
  channel?: MessagingChannel;
  /** E.164, for a messaging participant. */
  number?: string;
  /** Its binding's address and proxy address as Twilio gives them (`whatsapp:+E164` / `+E164`). */
  address?: string;
  proxyAddress?: string;
}

/** Twilio's `messaging_binding` (`{ type, address, proxy_address }`), read defensively. */
function bindingOf(binding: unknown): { address?: string; proxyAddress?: string } {
  if (typeof binding !== 'object' || binding === null) return {};
  const { address, proxy_address: proxyAddress } = binding as { address?: unknown; proxy_address?: unknown };
  return {
    ...(typeof address === 'string' && address !== '' ? { address } : {}),
    ...(typeof proxyAddress === 'string' && proxyAddress !== '' ? { proxyAddress } : {}),
  };
}

/**
 * "A Conversation can have up to 1,000 participants, only 50 of them non-chat"
 * (https://www.twilio.com/docs/conversations/conversations-limits): one page of 100 holds every
 * messaging participant of a thread this service keeps (one customer, a few agents).
 */
const PARTICIPANTS_PAGE = 100;

/** The participants of one conversation (one REST page). */
export async function participantsOf(
  service: ReturnType<typeof conversationsService>['service'],
  conversationSid: string,
): Promise<ThreadParticipant[]> {
  const list = await service.conversations(conversationSid).participants.list({ limit: PARTICIPANTS_PAGE });
  return list.map((p) => {
    const binding = bindingOf(p.messagingBinding);
    const messaging = binding.address ? readAddress(binding.address) : undefined;
    return {
      sid: p.sid,
      ...(p.identity ? { identity: p.identity } : {}),
      ...(messaging ? { channel: messaging.channel, number: messaging.number } : {}),
      ...binding,
    };
  });
}

/**
 * The proxy address (`+E164` / `whatsapp:+E164`: the number of ours they wrote to) of the
 * messaging participant whose address is `address`.
 */
export async function proxyAddressOf(
  service: ReturnType<typeof conversationsService>['service'],
  conversationSid: string,
  address: string,
): Promise<string | undefined> {
  return (await participantsOf(service, conversationSid)).find((participant) => participant.address === address)?.proxyAddress;
}

/** What a message to a thread carries: free-form text, or a WhatsApp template (Content API). */
export interface ThreadContent {
  body?: string;
  contentSid?: string;
  contentVariables?: Record<string, string>;
}

/**
 * Every messaging participant of a thread through the one outbound gate (consent on their
 * channel, geography; `trigger: 'api'`, `importance: 'essential'`: a person on the team answers a
 * customer), and, on WhatsApp, the 24-hour window as /whatsapp/send judges it: free-form inside it,
 * the template outside it, else 409 `template_required`. A message to a conversation reaches
 * every messaging participant at once, so one refusal refuses the message. Returns the clearances
 * and whether the template goes (also when there is no body).
 */
export async function clearThread(
  input: RouteInput,
  participants: readonly ThreadParticipant[],
  content: ThreadContent,
): Promise<{ clearances: Clearance[]; template: boolean }> {
  // With no body the template is all there is to send, on every channel.
  let template = content.body === undefined && content.contentSid !== undefined;
  const clearances: Clearance[] = [];
  for (const { channel, number } of participants) {
    if (!channel || !number) continue;
    clearances.push(await clearRecipient(input, { channel, to: number, trigger: 'api', importance: 'essential' }));
    if (channel !== 'whatsapp') continue;
    try {
      template = (await chooseSendPath(input.stores, { to: number, ...content })) === 'template' || template;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'outside_session_window') throw error;
      throw new AppError(
        409,
        'template_required',
        'A WhatsApp participant has not written in the last 24 hours: reply with an approved template (contentSid)',
        { details: { channel } },
      );
    }
  }
  return { clearances, template };
}
