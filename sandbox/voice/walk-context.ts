import type { LifecycleDeps } from '../api/message-lifecycle';
import type { MessageStore } from '../api/messages';
import type { Clock } from '../clock';
import { geoOf } from '../phone/geo';
import type { TaskTracker } from '../tasks';
import type { XmlElement } from '../twiml/xml';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import type { ClientBook } from './clients';
import type { CallRecord, CallStore } from './calls';
import type { LivePhone, LivePhoneBook } from './live-phone';
import type { RecordingStore } from './recordings';
import type { CallScript } from './script';
import type { CallEnd, CallStep } from './transcript';

export interface VoiceDeps {
  accountSid: string;
  clock: Clock;
  dispatcher: WebhookDispatcher;
  tasks: TaskTracker;
  calls: CallStore;
  recordings: RecordingStore;
  messages: MessageStore;
  /** Lifecycle of `<Message>` SMS sent during calls. */
  lifecycle: LifecycleDeps;
  /** Delay before asynchronous callbacks (recording status, transcription) and outbound call steps. */
  delayMs: number;
  /** Phones answered step by step from the console (interactive calls). */
  livePhones: LivePhoneBook;
  /** Voice SDK clients a `<Dial><Client>` rings. */
  clients: ClientBook;
  log: (line: string) => void;
}

/** One walk in progress: the call, what the phone will do, and where relative URLs resolve. */
export interface WalkContext {
  call: CallRecord;
  script: CallScript;
  deps: VoiceDeps;
  /** URL of the TwiML document being executed; `null` for inline Twiml. */
  documentUrl: string | null;
  /** Added to every request of the call (AnsweredBy after machine detection). */
  extraParams: Record<string, string>;
  /** Set when a person answers each Gather / Record live (the console); else `script` plays the phone. */
  live?: LivePhone;
  /**
   * Where Twilio turns when a TwiML document of the call cannot be retrieved or executed: the
   * number's VoiceFallbackUrl (inbound) or the call's FallbackUrl (Calls create). Used once.
   */
  fallback?: { url: string; method: HttpMethod } | null;
}

export type HttpMethod = 'GET' | 'POST';

/** What a verb asks the walker to do next. */
export type VerbResult =
  | { kind: 'next' }
  | { kind: 'end'; endedBy: CallEnd }
  /** Request `url`; `follow` = execute the TwiML it answers, `hangup` = the call is over anyway. */
  | { kind: 'request'; url: string; method: HttpMethod; params: Record<string, string>; then: 'follow' | 'hangup' };

export type VerbHandler = (step: CallStep, ctx: WalkContext, element: XmlElement) => VerbResult | Promise<VerbResult>;

function geoFields(prefix: string, address: string): Record<string, string> {
  const geo = geoOf(address);
  return { [`${prefix}City`]: geo.City, [`${prefix}Country`]: geo.Country, [`${prefix}State`]: geo.State, [`${prefix}Zip`]: geo.Zip };
}

/**
 * The parameters of every Voice webhook (https://www.twilio.com/docs/usage/webhooks/voice-webhooks):
 * CallSid, AccountSid, From, To, CallStatus, ApiVersion, Direction, Caller, Called and the
 * geographic fields of each side (country from the calling code, the rest empty).
 */
export function voiceParams(
  ctx: Pick<WalkContext, 'call' | 'deps' | 'extraParams'>,
  status: string = ctx.call.status,
): Record<string, string> {
  const { call } = ctx;
  return {
    ...geoFields('Called', call.to),
    ...geoFields('Caller', call.from),
    ...geoFields('From', call.from),
    ...geoFields('To', call.to),
    AccountSid: ctx.deps.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.sid,
    CallStatus: status,
    Called: call.to,
    Caller: call.from,
    Direction: call.direction,
    From: call.from,
    To: call.to,
    ...ctx.extraParams,
  };
}

/** The account's number on the call: To for inbound calls, From for outbound ones. */
export function ownNumber(call: CallRecord): string {
  return call.direction === 'inbound' ? call.to : call.from;
}

/** The other party: the caller of an inbound call, the callee of an outbound one. */
export function otherParty(call: CallRecord): string {
  return call.direction === 'inbound' ? call.from : call.to;
}

/** An absolute URL for a verb's `action` (empty = the current document, as Twilio does). */
export function resolveUrl(ctx: WalkContext, raw: string | undefined): string | null {
  const target = raw === undefined || raw.trim() === '' ? '' : raw.trim();
  try {
    if (ctx.documentUrl === null) return target === '' ? null : new URL(target).toString();
    return new URL(target, ctx.documentUrl).toString();
  } catch {
    return null;
  }
}

export function methodOf(raw: string | undefined): HttpMethod {
  return raw !== undefined && raw.toUpperCase() === 'GET' ? 'GET' : 'POST';
}
