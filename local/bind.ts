import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TwilioClient } from '../src/lib/twilio/sdk';
import { withCallbackRetries } from '../src/lib/twilio/connection-overrides';
import { FUNCTIONS_DIR } from './layout';

/**
 * Which phone-number webhook points at which route (bound only once the route exists);
 * statusCallback is the number's call status callback. The fallback URLs are Twilio's second
 * chance: called when the primary answers 5xx or times out.
 */
const NUMBER_WEBHOOKS = {
  smsUrl: '/sms/incoming',
  smsFallbackUrl: '/sms/fallback',
  voiceUrl: '/voice/incoming',
  voiceFallbackUrl: '/voice/fallback',
  statusCallback: '/voice/status',
} as const;

type WebhookField = keyof typeof NUMBER_WEBHOOKS;

const routeExists = (route: string) => existsSync(path.join(FUNCTIONS_DIR, `${route}.protected.js`));

/**
 * Points the number's SMS and Voice webhooks at this service, the same way against the sandbox
 * and against Twilio. Returns what was set.
 */
export async function bindNumber(
  client: TwilioClient,
  phoneNumber: string,
  baseUrl: string,
): Promise<Partial<Record<WebhookField, string>>> {
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 });
  if (!number) throw new Error(`${phoneNumber} is not a phone number of this account`);
  const urls: Partial<Record<WebhookField, string>> = {};
  for (const [field, route] of Object.entries(NUMBER_WEBHOOKS) as Array<[WebhookField, string]>) {
    if (routeExists(route)) urls[field] = baseUrl.replace(/\/+$/, '') + route;
  }
  if (urls.statusCallback) urls.statusCallback = withCallbackRetries(urls.statusCallback);
  if (Object.keys(urls).length === 0) return urls;
  await client.incomingPhoneNumbers(number.sid).update({
    ...urls,
    ...(urls.smsUrl ? { smsMethod: 'POST' } : {}),
    ...(urls.smsFallbackUrl ? { smsFallbackMethod: 'POST' } : {}),
    ...(urls.voiceUrl ? { voiceMethod: 'POST' } : {}),
    ...(urls.voiceFallbackUrl ? { voiceFallbackMethod: 'POST' } : {}),
  });
  return urls;
}

/** The route a WhatsApp sender's incoming-message webhook points at. */
const WHATSAPP_WEBHOOK = '/whatsapp/incoming';

/**
 * In the sandbox, points the number's WhatsApp sender webhook at this service (on Twilio this is
 * set on the WhatsApp sender in the Console; docs/whatsapp.md explains).
 */
export async function bindSandboxWhatsApp(sandboxUrl: string, phoneNumber: string, baseUrl: string): Promise<string | undefined> {
  if (!routeExists(WHATSAPP_WEBHOOK)) return undefined;
  const url = baseUrl.replace(/\/+$/, '') + WHATSAPP_WEBHOOK;
  const response = await fetch(`${sandboxUrl.replace(/\/+$/, '')}/_sandbox/whatsapp/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber, url }),
  });
  if (!response.ok) throw new Error(`the sandbox refused the WhatsApp webhook: ${response.status} ${await response.text()}`);
  return url;
}
