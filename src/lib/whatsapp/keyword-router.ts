import type { WhatsAppSettings } from '../config/settings';
import { normaliseKeyword } from '../messaging/keywords';

/**
 * The reply to an inbound WhatsApp message: the configured keyword that the message is, or starts
 * with (longest keyword first, so "order status" wins over "order"), else the help text.
 */
export function routeKeyword(body: string, settings: WhatsAppSettings): string {
  const text = normaliseKeyword(body);
  const keywords = Object.keys(settings.keywords).sort((a, b) => b.length - a.length);
  const match = keywords.find((keyword) => text === keyword || text.startsWith(`${keyword} `));
  return match ? settings.keywords[match] : settings.helpText;
}
