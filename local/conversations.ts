import { conversationsProxyAddress } from '../src/lib/conversations/proxy-address';
import type { MessagingChannel } from '../src/lib/outbound/address';
import type { TwilioClient } from '../src/lib/twilio/sdk';

type Env = Readonly<Record<string, string | undefined>>;

/** The route Conversations' pre- and post-action webhooks point at. */
export const CONVERSATIONS_EVENTS_ROUTE = '/conversations/events';

/**
 * The events /conversations/events handles: `onMessageAdd` (pre-action: consent keywords, refusal
 * of a message to someone who opted out) and `onDeliveryUpdated` (post-action: delivery records).
 * A service's `Filters` name both kinds (https://www.twilio.com/docs/conversations/api/service-webhook-configuration-resource).
 */
export const CONVERSATIONS_EVENT_FILTERS = ['onMessageAdd', 'onDeliveryUpdated'] as const;

/**
 * The addresses whose inbound messages autocreate conversations: each channel's one proxy address
 * (conversationsProxyAddress: CONVERSATIONS_NUMBER for SMS, `whatsapp:<WHATSAPP_FROM>` when that is
 * set), the same ones /conversations/start binds participants to.
 */
export function conversationAddresses(env: Env): Array<{ type: MessagingChannel; address: string }> {
  const number = env.CONVERSATIONS_NUMBER?.trim();
  if (!number) return [];
  const senders = { number, whatsappFrom: env.WHATSAPP_FROM?.trim().replace(/^whatsapp:/i, '') };
  return (['sms', 'whatsapp'] as const).flatMap((type) => {
    const address = conversationsProxyAddress(senders, type);
    return address ? [{ type, address }] : [];
  });
}

/** The Address Configuration of `address` (Conversations lists them by type only), or undefined: what provisioning and the doctor look up. */
export async function findAddressConfiguration(client: TwilioClient, type: 'sms' | 'whatsapp', address: string) {
  return (await client.conversations.v1.addressConfigurations.list({ type })).find((config) => config.address === address);
}

/** The sandbox's (or account's) default Conversations service: what `npm start` uses when CONVERSATIONS_SERVICE_SID is empty. */
export async function defaultConversationsService(client: TwilioClient): Promise<string> {
  return (await client.conversations.v1.configuration().fetch()).defaultChatServiceSid;
}

/**
 * Conversations for this service, idempotently: each address gets an Address Configuration with
 * autocreation into CONVERSATIONS_SERVICE_SID ("Inbound messages to the address will create a new
 * conversation", https://www.twilio.com/docs/conversations/inbound-autocreation), and, given the
 * base URL, the service's pre- and post-action webhooks point at /conversations/events with the
 * filters it handles. Returns one line per change or finding; nothing when Conversations is off.
 */
export async function provisionConversations(client: TwilioClient, env: Env, baseUrl?: string): Promise<string[]> {
  const serviceSid = env.CONVERSATIONS_SERVICE_SID?.trim();
  const addresses = conversationAddresses(env);
  if (!serviceSid || addresses.length === 0) return [];
  const conversations = client.conversations.v1;
  const lines: string[] = [];
  for (const { type, address } of addresses) {
    const autoCreation = {
      'autoCreation.enabled': true,
      'autoCreation.type': 'default',
      'autoCreation.conversationServiceSid': serviceSid,
    } as const;
    const existing = await findAddressConfiguration(client, type, address);
    if (!existing) {
      await conversations.addressConfigurations.create({ type, address, friendlyName: 'twilio-comms', ...autoCreation });
      lines.push(`Conversations: ${type} ${address} autocreates conversations in ${serviceSid} (created)`);
    } else if (!autoCreatesInto(existing.autoCreation, serviceSid)) {
      await conversations.addressConfigurations(existing.sid).update(autoCreation);
      lines.push(`Conversations: ${type} ${address} autocreates conversations in ${serviceSid} (updated)`);
    } else {
      lines.push(`Conversations: ${type} ${address} autocreates conversations in ${serviceSid} (already)`);
    }
  }
  if (baseUrl) {
    const url = `${baseUrl.replace(/\/+$/, '')}${CONVERSATIONS_EVENTS_ROUTE}`;
    await conversations
      .services(serviceSid)
      .configuration.webhooks()
      .update({ preWebhookUrl: url, postWebhookUrl: url, method: 'POST', filters: [...CONVERSATIONS_EVENT_FILTERS] });
    lines.push(`Conversations: ${serviceSid} webhooks (${CONVERSATIONS_EVENT_FILTERS.join(', ')}) → ${url}`);
  }
  return lines;
}

/** Whether an Address Configuration's `auto_creation` autocreates into `serviceSid`. */
export function autoCreatesInto(autoCreation: unknown, serviceSid: string): boolean {
  if (typeof autoCreation !== 'object' || autoCreation === null) return false;
  const { enabled, conversation_service_sid: service } = autoCreation as { enabled?: unknown; conversation_service_sid?: unknown };
  return enabled === true && service === serviceSid;
}
