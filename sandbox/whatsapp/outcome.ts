import type { MessageRecord } from '../api/messages';
import type { DeliveryOutcome } from '../magic-numbers';
import { isWhatsApp } from './addresses';
import { WHATSAPP_MAGIC_RECIPIENTS } from './magic';
import type { ConversationWindows } from './window';

/** Twilio's 63016 (https://www.twilio.com/docs/api/errors/63016). */
const OUTSIDE_WINDOW: DeliveryOutcome = {
  status: 'failed',
  code: 63016,
  message: 'Failed to send freeform message because you are outside the allowed window. Please use a Template.',
};

/**
 * How a queued WhatsApp message ends, decided when it is handed to WhatsApp (its sender is
 * known then, and the window is judged on the sandbox clock at that moment), in the order
 * Twilio meets the problems: the 24-hour window (63016) for free-form messages, then content
 * problems found at create time (63021), then the magic recipients. `null` = delivered.
 */
export function whatsAppOutcome(message: MessageRecord, windows: ConversationWindows, now: number): DeliveryOutcome | null {
  if (!isWhatsApp(message.to) || message.from === null) return null;
  const sender = bare(message.from);
  const user = bare(message.to);
  if (!message.templateSend && !windows.isOpen(sender, user, now)) return OUTSIDE_WINDOW;
  if (message.deferredError) return message.deferredError;
  return WHATSAPP_MAGIC_RECIPIENTS[user] ?? null;
}

function bare(address: string): string {
  return address.slice(address.indexOf(':') + 1);
}
