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

/**
 * Whether a message at `status` has left Twilio's queue (handed to the carrier, or failed): the
 * funnel counts its `queued` step then, so that a `queued` or `sending` callback counts nothing and
 * the steps cost one write with the `sent` callback or the outcome (not one write per status).
 */
export const leftQueue = (status: MessageStatus): boolean =>
  RANK[status] >= RANK.sent && status !== 'canceled' && status !== 'received' && status !== 'receiving';

/**
 * Whether a message at `status` was handed to the carrier (`sent`): an outcome other than `failed`
 * (which Twilio may report straight from the queue) or `canceled` implies it.
 */
export const reachedSent = (status: MessageStatus): boolean => leftQueue(status) && status !== 'failed';

/** Delivery errors that can pass, worth a later re-send: derived from the one delivery-error table. */
export { TRANSIENT_DELIVERY_ERRORS } from '../messaging/delivery-errors';
