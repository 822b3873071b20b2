import { badRequest, TwilioApiError } from '../http/errors';
import type { ConversationRecord, ConversationState, ConversationTimers, MessagingBinding } from './store';

const E164 = /^\+[1-9]\d{6,14}$/;

/** Twilio's Conversations length limits (https://www.twilio.com/docs/conversations/conversations-limits). */
export const LIMITS = {
  friendlyName: 256,
  identity: 256,
  bindingAddress: 256,
  /** "WhatsApp and SMS: 1600 Characters" outbound; the sandbox holds every message body to it. */
  messagingBody: 1600,
} as const;

/**
 * Actions per second per conversation: "Conversation update; Participant create, update, delete;
 * Message create, update, delete" are limited to 30 APS each conversation
 * (https://twilio.com/en-us/changelog/increasing-actions-per-second-for-conversations-).
 */
export const ACTIONS_PER_SECOND = 30;

/** 50063, "Actions per second limit exceeded", answered with HTTP 429 (https://twilio.com/docs/api/errors/50063). */
export function actionsPerSecondExceeded(): TwilioApiError {
  return new TwilioApiError(429, 50063, 'Actions per second limit exceeded');
}

/** 50377: "Conversation state is 'closed' so it can't be used for chatting anymore" (https://twilio.com/de/docs/api/errors/50377). */
export function conversationClosed(): TwilioApiError {
  return badRequest(50377, "Can't update conversation as it's in final closed state");
}

const STATES: readonly ConversationState[] = ['active', 'inactive', 'closed'];

/** `State`, when given: one of the spec's conversation_enum_state (the sandbox refuses `initializing` on create). */
export function readState(form: URLSearchParams): ConversationState | undefined {
  const raw = form.get('State');
  if (raw === null || raw === '') return undefined;
  if (!STATES.includes(raw as ConversationState)) throw badRequest(20001, `Invalid State: ${raw}`);
  return raw as ConversationState;
}

/** Minimums from the spec: "Minimum value for this timer is 1 minute" (inactive), "10 minutes" (closed). */
const MIN_INACTIVE_MS = 60_000;
const MIN_CLOSED_MS = 600_000;

/** An ISO 8601 duration (`PT10M`, `P1D`, `P1DT2H`…) in ms; `null` when it is not one. */
function parseIsoDuration(raw: string): number | null {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(raw);
  if (!match || raw === 'P' || raw.endsWith('T')) return null;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

/**
 * `Timers.Inactive` / `Timers.Closed`: ISO 8601 durations (50379 / 50380,
 * https://www.twilio.com/docs/api/errors/50379, https://www.twilio.com/docs/api/errors/50380),
 * at least the spec's minimums. Returns the durations given, `undefined` for those absent.
 */
export function readTimers(form: URLSearchParams): { inactiveMs?: number; closedMs?: number } {
  const out: { inactiveMs?: number; closedMs?: number } = {};
  const inactive = form.get('Timers.Inactive');
  if (inactive) {
    const ms = parseIsoDuration(inactive);
    if (ms === null) throw badRequest(50379, "'Timers.Inactive' parameter supports values which are ISO8601 durations.");
    if (ms < MIN_INACTIVE_MS) throw badRequest(50379, 'Minimum value for Timers.Inactive is 1 minute.');
    out.inactiveMs = ms;
  }
  const closed = form.get('Timers.Closed');
  if (closed) {
    const ms = parseIsoDuration(closed);
    if (ms === null) throw badRequest(50380, "'Timers.Closed' parameter supported values are ISO8601 durations.");
    if (ms < MIN_CLOSED_MS) throw badRequest(50380, 'Minimum value for Timers.Closed is 10 minutes.');
    out.closedMs = ms;
  }
  return out;
}

/**
 * Re-arms the timers from `now` (https://www.twilio.com/docs/conversations/states-timers: the
 * inactive timer moves an active conversation to inactive, the closed timer closes it; activity
 * starts them again). Only an active conversation has an inactive timer running.
 */
export function armTimers(conversation: ConversationRecord, now: number): void {
  const t: ConversationTimers = conversation.timers;
  t.inactiveAt = conversation.state === 'active' && t.inactiveMs !== null ? now + t.inactiveMs : null;
  t.closedAt = conversation.state !== 'closed' && t.closedMs !== null ? now + t.closedMs : null;
}

/**
 * A messaging participant's binding from `MessagingBinding.Address` / `.ProxyAddress`, checked as
 * Twilio does: 50412 empty proxy (https://www.twilio.com/docs/api/errors/50412), 50408 invalid proxy
 * (https://twilio.com/docs/api/errors/50408), 50409 address equals proxy
 * (https://www.twilio.com/docs/api/errors/50409), 50414 channel mismatch
 * (https://twilio.com/docs/api/errors/50414). `undefined` for a participant without an Address.
 */
export function readBinding(form: URLSearchParams, ownsNumber: (e164: string) => boolean): MessagingBinding | undefined {
  const address = form.get('MessagingBinding.Address')?.trim() ?? '';
  if (address === '') return undefined;
  const proxyAddress = form.get('MessagingBinding.ProxyAddress')?.trim() ?? '';
  if (proxyAddress === '') throw badRequest(50412, 'Participant proxy address is empty');
  const bareProxy = proxyAddress.replace(/^whatsapp:/, '');
  const bareAddress = address.replace(/^whatsapp:/, '');
  if (proxyAddress.length > LIMITS.bindingAddress || !E164.test(bareProxy) || !ownsNumber(bareProxy)) {
    throw badRequest(50408, `Invalid participant proxy address: ${proxyAddress} is not a number of this account`);
  }
  if (address.length > LIMITS.bindingAddress || !E164.test(bareAddress))
    throw badRequest(50407, `Invalid messaging binding address: ${address}`); // https://www.twilio.com/docs/errors/50407
  if (address === proxyAddress) throw badRequest(50409, 'Participant address equals proxy address');
  const addressType = address.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  const proxyType = proxyAddress.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  if (addressType !== proxyType) throw badRequest(50414, 'Participant address type does not match proxy address type');
  return { type: addressType, address, proxyAddress };
}

/**
 * 50416 when the pair is bound in a conversation that is not closed: "Participant and proxy address
 * pair is already in use" (https://twilio.com/docs/api/errors/50416); the message names the
 * conversation as Twilio's does (https://support.twilio.com/hc/en-us/articles/41467875615259), 409 Conflict.
 */
export function pairInUse(conversationSid: string): TwilioApiError {
  return new TwilioApiError(
    409,
    50416,
    `A binding for this participant and proxy address already exists in Conversation ${conversationSid}`,
  );
}

/** 50433 "Participant already exists": a chat participant with that identity (https://docs-dev.vercel.app/docs/api/errors/50433.md), 409. */
export function identityInUse(identity: string): TwilioApiError {
  return new TwilioApiError(409, 50433, `Participant already exists: ${identity}`);
}

/** JSON `Attributes` (default `{}`); invalid JSON is a 400 (the sandbox's code 20001, Twilio's generic invalid parameter). */
export function readAttributes(form: URLSearchParams, fallback = '{}'): string {
  const raw = form.get('Attributes');
  if (raw === null) return fallback;
  try {
    JSON.parse(raw);
  } catch {
    throw badRequest(20001, 'Attributes must be valid JSON');
  }
  return raw;
}
