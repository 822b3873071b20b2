/**
 * WhatsApp's 24-hour customer service window: a business may send free-form (non-template)
 * messages to a user only within 24 hours of that user's last inbound message to the same
 * sender (https://www.twilio.com/docs/api/errors/63016). One entry per (sender, user); O(1).
 */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export class ConversationWindows {
  /** `<sender>|<user>` (bare E.164 numbers) → time of the user's last inbound message (epoch ms). */
  private readonly lastInbound = new Map<string, number>();

  /** The user wrote to the sender at `at`: the window opens (or is refreshed) until `at` + 24 h. */
  open(sender: string, user: string, at: number): void {
    this.lastInbound.set(key(sender, user), at);
  }

  /** True while `now` is less than 24 hours after the user's last inbound message to the sender. */
  isOpen(sender: string, user: string, now: number): boolean {
    const last = this.lastInbound.get(key(sender, user));
    return last !== undefined && now < last + CUSTOMER_SERVICE_WINDOW_MS;
  }

  /** When the window closes (epoch ms), or `null` if the user never wrote to the sender. */
  closesAt(sender: string, user: string): number | null {
    const last = this.lastInbound.get(key(sender, user));
    return last === undefined ? null : last + CUSTOMER_SERVICE_WINDOW_MS;
  }
}

function key(sender: string, user: string): string {
  return `${sender}|${user}`;
}
