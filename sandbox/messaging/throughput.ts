/**
 * Sender throughput and Twilio's outbound message queue (`messagingThroughput: 'enforced'`).
 *
 * What Twilio documents, and what the sandbox does with it:
 * - "Twilio queues messages based on the sending rate of a sender or an account. For example a US
 *   long code number can send one message segment per second, and a short code may send over 100
 *   message segments per second. Messages can only be queued for 10 hours and then they
 *   automatically fail" (https://www.twilio.com/docs/api/errors/30001, "Queue overflow"); the same
 *   page gives 36000 seconds (10 hours) as the default and maximum Validity Period. Throughput is
 *   counted in message segments: an SMS costs its segments; a WhatsApp or media message costs one.
 * - "each queue can hold up to 10 hours' worth of message segments based on the sending rate for a
 *   phone number type. For example, a local phone number from the US or Canada has a full queue of
 *   36,000 message segments" (support article "Understanding Twilio Rate Limits and Message Queues",
 *   https://support.twilio.com/hc/en-us/articles/115002943027). So a message overflows when the
 *   segments waiting ahead of it on its sender, plus its own, need more than 10 hours to send.
 * - A direct `From` send to a full sender is refused at create with 21611 "This 'From' number has
 *   exceeded the maximum number of queued messages"; "If you are using a Messaging Service and the
 *   numbers in the pool experience queue overload, messages will instead fail after creation with
 *   error 30001" (https://www.twilio.com/docs/api/errors/21611).
 * - Default rates: US/Canada long code 1 segment per second (30001 page); toll-free 3 "MPS (message
 *   segments per second) toward the US and Canada" (support article "Toll-Free SMS and MMS messaging
 *   throughput (MPS)", https://support.twilio.com/hc/en-us/articles/4411046744987); short code 100
 *   ("over 100 message segments per second", 30001 page); WhatsApp "The text-only throughput for a
 *   WhatsApp sender is set to 10 MPS by default" and "This message queue has a maximum limit of
 *   four hours" (https://www.twilio.com/docs/whatsapp/best-practices-and-faqs).
 * - A Messaging Service spreads its traffic over its senders ("Try using a Messaging Service with
 *   multiple senders and it will load balance for you. Try adding more senders into your Messaging
 *   Service", 30001 page): each message goes to the pool sender that can send it soonest, so a
 *   service sends at the sum of its senders' MPS, and overflows only when every sender is 10 hours
 *   behind.
 * - `ValidityPeriod` (1–36000 s, the Messages create spec): a message that would stay queued longer
 *   fails with 30036 "Validity Period Expired" when the period ends
 *   (https://www.twilio.com/docs/api/errors/30036), and takes no sending slot.
 *
 * Each sender keeps the sandbox-clock instant it is busy until; a message takes the next slot
 * (O(1) per sender in the pool) and waits in a min-heap by release time (O(log n) per message), so
 * advancing the clock releases a backlog in O(k log n) for the k messages that fell due.
 */
import type { Clock } from '../clock';
import type { MessageRecord } from '../api/messages';
import type { DeliveryOutcome } from '../magic-numbers';
import { MinHeap } from '../min-heap';
import { DEFAULT_SENDER_MPS, type MessagingThroughputMode, type SenderMps } from '../options';
import { isWhatsApp } from '../whatsapp/addresses';
import { senderPool, type MessagingServiceStore } from './services';
import { isShortCode } from './short-codes';

export type SenderType = keyof SenderMps;
const SENDER_TYPES: readonly SenderType[] = ['longCode', 'tollFree', 'shortCode', 'whatsapp'];

/** Twilio's queue limit (30001 page, support article above), and WhatsApp's (WhatsApp FAQ). */
const QUEUE_LIMIT_SECONDS = 36_000;
const WHATSAPP_QUEUE_LIMIT_SECONDS = 14_400;

const QUEUE_OVERFLOW: DeliveryOutcome = { status: 'failed', code: 30001, message: 'Queue overflow' };
export const VALIDITY_PERIOD_EXPIRED: DeliveryOutcome = { status: 'failed', code: 30036, message: 'Validity Period Expired' };
export const SENDER_QUEUE_FULL = { code: 21611, message: "This 'From' number has exceeded the maximum number of queued messages" };

/** US / Canada toll-free prefixes (the same list as lookup/line-types). */
const TOLL_FREE = /^\+1(800|833|844|855|866|877|888)\d{7}$/;
/** Whether an E.164 number is a US / Canada toll-free number (its own verification, keyword replies and throughput). */
export const isTollFree = (address: string): boolean => TOLL_FREE.test(address);
const E164 = /^\+[1-9]\d{6,14}$/;
/** setTimeout's ceiling (about 24.8 days); later instants are reached by re-arming. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The sender type of an address (`whatsapp:` prefix, short code digits, +1 toll-free, other E.164); `null` for alphanumeric IDs. */
function senderTypeOf(address: string): SenderType | null {
  if (isWhatsApp(address)) return 'whatsapp';
  if (isShortCode(address)) return 'shortCode';
  if (isTollFree(address)) return 'tollFree';
  return E164.test(address) ? 'longCode' : null;
}

/** What happens to a message as it is queued. */
export type Admission =
  | { kind: 'now' }
  /** Stays `queued` until `until` (sandbox clock), then is sent (`send`) or fails with 30036 (`expire`). */
  | { kind: 'wait'; until: number; then: 'send' | 'expire' }
  | { kind: 'failed'; error: DeliveryOutcome };

const NOW: Admission = { kind: 'now' };

interface Lane {
  /** Sandbox-clock ms until which the sender's reserved slots run. */
  busyUntil: number;
  /** Messages waiting for their slot. */
  waiting: number;
}

interface Held {
  message: MessageRecord;
  until: number;
  lane: Lane | null;
  resume: (at: number) => void;
}

export interface ThroughputDeps {
  clock: Clock;
  services: MessagingServiceStore;
  /** True for the account's numbers and short codes; other senders (alphanumeric IDs, the magic From) are not throttled. */
  ownsSender: (bare: string) => boolean;
  mode?: MessagingThroughputMode;
  senderMps?: Partial<SenderMps>;
}

export interface ThroughputSnapshot {
  mode: MessagingThroughputMode;
  queueLimitSeconds: { sms: number; whatsapp: number };
  senderMps: SenderMps;
  services: Array<{
    sid: string;
    friendlyName: string;
    senderMps: SenderMps;
    /** SMS throughput of the service: the sum over its SMS senders. */
    mps: number;
    /** WhatsApp throughput: the sum over its numbers as WhatsApp senders. */
    whatsappMps: number;
    senders: Array<{ sender: string; type: SenderType; mps: number }>;
  }>;
  /** Senders that have sent under `enforced`, with what is waiting on each. */
  queues: Array<{ sender: string; waiting: number; backlogSeconds: number }>;
}

const bare = (address: string): string => address.slice(address.indexOf(':') + 1);

/** Segments a message costs its sender: one per SMS segment; one for a WhatsApp or media message. */
function throughputUnits(message: Pick<MessageRecord, 'to' | 'numSegments' | 'mediaUrls'>): number {
  if (isWhatsApp(message.to) || message.mediaUrls.length > 0) return 1;
  return Math.max(1, message.numSegments);
}

export class MessagingThroughput {
  private mode: MessagingThroughputMode;
  private accountMps: SenderMps;
  private readonly lanes = new Map<string, Lane>();
  private readonly held = new MinHeap<Held>((a, b) => a.until < b.until || (a.until === b.until && a.message.seq < b.message.seq));
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly deps: ThroughputDeps) {
    this.mode = deps.mode ?? 'off';
    this.accountMps = { ...DEFAULT_SENDER_MPS, ...validMps(deps.senderMps ?? {}, 'senderMps') };
    deps.services.all().forEach((service, i) => {
      service.senderMps = validMps(service.senderMps, `messagingServices[${i}].senderMps`);
    });
    deps.clock.onAdvance(() => this.releaseDue());
  }

  get enforced(): boolean {
    return this.mode === 'enforced';
  }

  /** The MPS of a sender type for a service's messages (`null`: direct sends, the account's rates). */
  mpsOf(type: SenderType, serviceSid: string | null): number {
    const service = serviceSid ? this.deps.services.get(serviceSid) : undefined;
    return service?.senderMps[type] ?? this.accountMps[type];
  }

  /** For a direct `From` send at create time: true when its sender's queue cannot take it (21611). */
  senderQueueFull(message: Pick<MessageRecord, 'to' | 'from' | 'numSegments' | 'mediaUrls'>): boolean {
    if (!this.enforced || message.from === null) return false;
    const slot = this.slotOn(message.from, null, throughputUnits(message), this.deps.clock.now());
    return slot !== null && slot.overflows;
  }

  /**
   * Takes a message being queued: under `enforced`, a Messaging Service's message gets the pool
   * sender that can send it soonest (`message.from` is set), and the message its slot on that
   * sender. `off`: `now`, and the sender is left to the caller.
   */
  admit(message: MessageRecord): Admission {
    if (!this.enforced) return NOW;
    const now = this.deps.clock.now();
    const units = throughputUnits(message);
    const service = message.messagingServiceSid;
    const candidates = message.from !== null ? [message.from] : this.poolOf(message);
    let best: { sender: string; slot: Slot } | null = null;
    for (const sender of candidates) {
      const slot = this.slotOn(sender, service, units, now);
      if (slot === null) continue;
      if (!best || slot.start < best.slot.start) best = { sender, slot };
    }
    if (!best) return NOW;
    if (message.from === null) message.from = best.sender;
    const { slot } = best;
    if (slot.overflows) return { kind: 'failed', error: QUEUE_OVERFLOW };
    if (message.validityPeriod !== null) {
      const submitted = Math.max(message.dateCreated, message.sendAt ?? 0);
      const expires = submitted + message.validityPeriod * 1000;
      if (slot.start > expires) return { kind: 'wait', until: Math.max(expires, now), then: 'expire' };
    }
    slot.lane.busyUntil = slot.start + slot.cost;
    return slot.start <= now ? NOW : { kind: 'wait', until: slot.start, then: 'send' };
  }

  /**
   * Keeps an admitted message `queued` until its instant, then calls `resume(at)` (`at` = the slot,
   * earlier than now when the clock was advanced past it). Due at once: resumes right away.
   */
  hold(message: MessageRecord, admission: Extract<Admission, { kind: 'wait' }>, resume: (at: number) => void): void {
    const now = this.deps.clock.now();
    if (!this.enforced || this.closed || admission.until <= now) {
      resume(Math.min(admission.until, now));
      return;
    }
    const lane = admission.then === 'send' && message.from !== null ? this.laneOf(message.from) : null;
    if (lane) lane.waiting += 1;
    this.held.push({ message, until: admission.until, lane, resume });
    // The timer only moves when this message is now the first due.
    if (this.held.peek()?.message === message) this.arm();
  }

  /** Releases, in slot order, every held message whose instant has come. */
  releaseDue(): void {
    const now = this.deps.clock.now();
    for (let next = this.held.peek(); next && next.until <= now; next = this.held.peek()) {
      this.held.pop();
      this.release(next, next.until);
    }
    this.arm();
  }

  /** `off` releases every waiting message at once and forgets the senders' backlogs. */
  setMode(mode: MessagingThroughputMode): void {
    this.mode = mode;
    if (mode === 'enforced') return;
    const now = this.deps.clock.now();
    for (let next = this.held.pop(); next; next = this.held.pop()) this.release(next, Math.min(next.until, now));
    this.lanes.clear();
    this.arm();
  }

  knowsService(serviceSid: string): boolean {
    return this.deps.services.has(serviceSid);
  }

  /** Changes the account's MPS (or one service's, with `serviceSid`); slots already taken keep their time. */
  setSenderMps(mps: Partial<SenderMps>, serviceSid?: string): void {
    const checked = validMps(mps, 'senderMps');
    if (serviceSid === undefined) {
      this.accountMps = { ...this.accountMps, ...checked };
      return;
    }
    const service = this.deps.services.get(serviceSid);
    if (!service) throw new RangeError(`no Messaging Service ${serviceSid}`);
    service.senderMps = { ...service.senderMps, ...checked };
  }

  snapshot(): ThroughputSnapshot {
    const now = this.deps.clock.now();
    return {
      mode: this.mode,
      queueLimitSeconds: { sms: QUEUE_LIMIT_SECONDS, whatsapp: WHATSAPP_QUEUE_LIMIT_SECONDS },
      senderMps: { ...this.accountMps },
      services: this.deps.services.all().map((service) => {
        const senderMps = Object.fromEntries(SENDER_TYPES.map((type) => [type, this.mpsOf(type, service.sid)])) as unknown as SenderMps;
        const senders = senderPool(service, false).flatMap((sender) => {
          const type = senderTypeOf(sender);
          return type ? [{ sender, type, mps: senderMps[type] }] : [];
        });
        return {
          sid: service.sid,
          friendlyName: service.friendlyName,
          senderMps,
          mps: senders.reduce((sum, s) => sum + s.mps, 0),
          whatsappMps: service.senders.length * senderMps.whatsapp,
          senders,
        };
      }),
      queues: [...this.lanes].map(([sender, lane]) => ({
        sender,
        waiting: lane.waiting,
        backlogSeconds: Math.max(0, lane.busyUntil - now) / 1000,
      })),
    };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private release(held: Held, at: number): void {
    if (held.lane) held.lane.waiting -= 1;
    held.resume(at);
  }

  /** The pool senders of the message's service for its channel, as full addresses. */
  private poolOf(message: MessageRecord): string[] {
    const service = message.messagingServiceSid ? this.deps.services.get(message.messagingServiceSid) : undefined;
    if (!service) return [];
    const whatsApp = isWhatsApp(message.to);
    return senderPool(service, whatsApp).map((sender) => (whatsApp ? `whatsapp:${sender}` : sender));
  }

  /** The next slot on `sender` for `units` segments, or `null` when the sender is not throttled. */
  private slotOn(sender: string, serviceSid: string | null, units: number, now: number): Slot | null {
    const type = senderTypeOf(sender);
    if (type === null || !this.deps.ownsSender(bare(sender))) return null;
    const lane = this.laneOf(sender);
    const start = Math.max(lane.busyUntil, now);
    const cost = (units * 1000) / this.mpsOf(type, serviceSid);
    const limitMs = (type === 'whatsapp' ? WHATSAPP_QUEUE_LIMIT_SECONDS : QUEUE_LIMIT_SECONDS) * 1000;
    return { lane, start, cost, overflows: start + cost - now > limitMs };
  }

  private laneOf(sender: string): Lane {
    let lane = this.lanes.get(sender);
    if (!lane) {
      lane = { busyUntil: 0, waiting: 0 };
      this.lanes.set(sender, lane);
    }
    return lane;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.held.peek();
    if (this.closed || !next) return;
    const wait = Math.min(Math.max(next.until - this.deps.clock.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.releaseDue(), wait);
    this.timer.unref();
  }
}

interface Slot {
  lane: Lane;
  start: number;
  cost: number;
  overflows: boolean;
}

/** Keeps the known sender types with a positive finite MPS; anything else is a RangeError. */
function validMps(input: Partial<Record<string, unknown>>, name: string): Partial<SenderMps> {
  const out: Partial<SenderMps> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!(SENDER_TYPES as readonly string[]).includes(key))
      throw new RangeError(`${name}.${key} is not a sender type (${SENDER_TYPES.join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw new RangeError(`${name}.${key} must be a positive number`);
    out[key as SenderType] = value;
  }
  return out;
}
