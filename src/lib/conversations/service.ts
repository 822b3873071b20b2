import { AppError } from '../errors/app-error';
import type { MessagingChannel } from '../outbound/address';
import type { RouteInput } from '../runtime/route';
import type { TwilioClient } from '../twilio/sdk';
import { conversationsProxyAddress } from './proxy-address';

type ServiceContext = ReturnType<TwilioClient['conversations']['v1']['services']>;

/** The Conversations service this deployment uses; 503 `not_configured` while Conversations is off (it is opt-in on Twilio). */
export function conversationsService(input: RouteInput): { service: ServiceContext; serviceSid: string } {
  const { serviceSid, number } = input.settings.conversations;
  if (!serviceSid || !number) {
    throw new AppError(503, 'not_configured', 'Conversations is off: set CONVERSATIONS_SERVICE_SID and CONVERSATIONS_NUMBER');
  }
  return { service: input.twilio().conversations.v1.services(serviceSid), serviceSid };
}

/**
 * The proxy address a new thread on `channel` binds its customer to (conversationsProxyAddress);
 * 503 `not_configured` for WhatsApp while WHATSAPP_FROM, the account's WhatsApp sender, is empty.
 */
export function threadProxyAddress({ settings }: Pick<RouteInput, 'settings'>, channel: MessagingChannel): string {
  const proxy = conversationsProxyAddress({ number: settings.conversations.number, whatsappFrom: settings.whatsappFrom }, channel);
  if (!proxy) throw new AppError(503, 'not_configured', "WhatsApp threads need the account's WhatsApp sender: set WHATSAPP_FROM");
  return proxy;
}

/** A conversation SID (CH…) parameter, checked. */
export function checkConversationSid(sid: string): string {
  if (!/^CH[0-9a-f]{32}$/.test(sid)) throw new AppError(400, 'invalid_parameter', '"conversationSid" must be a Conversation SID (CH…)');
  return sid;
}
