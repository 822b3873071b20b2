/** Message statuses as Twilio reports them (Messaging, WhatsApp adds `read`). */
const MESSAGE_STATUSES = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'receiving',
  'received',
  'delivered',
  'partially_delivered',
  'undelivered',
  'failed',
  'canceled',
  'read',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * How far along a message is. Callbacks arrive late, twice or out of order; a status only
 * replaces one of lower rank, so a late `sent` never overwrites `delivered`. Outcomes rank above
 * progress; `read` (WhatsApp) above `delivered`.
 */
const RANK: Readonly<Record<MessageStatus, number>> = {
  accepted: 0,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  receiving: 4,
  received: 5,
  undelivered: 6,
  failed: 6,
  partially_delivered: 6,
  canceled: 6,
  delivered: 7,
  read: 8,
};

export function isMessageStatus(value: string): value is MessageStatus {
  return (MESSAGE_STATUSES as readonly string[]).includes(value);
}

/** Whether `next` moves a message forward from `current` (a repeat or a step back does not). */
export function advances(current: MessageStatus | undefined, next: MessageStatus): boolean {
  return current === undefined || RANK[next] > RANK[current];
}

/** Delivery errors that can pass, worth a later re-send: derived from the one delivery-error table. */
export { TRANSIENT_DELIVERY_ERRORS } from '../messaging/delivery-errors';
