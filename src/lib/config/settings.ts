import { AppError } from '../errors/app-error';
import { normalizePhone } from '../phone/e164';
import { readAllowedCountries, type AllowedCountries } from '../outbound/geography';
import { normaliseKeyword } from '../messaging/keywords';
import { log } from '../logging/log';

/** The environment variables a Function sees (from `.env` locally, Service variables when deployed). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The runtime context of one invocation, typed to what the product reads. */
export interface RuntimeContext extends Env {
  readonly DOMAIN_NAME?: string;
  readonly PATH?: string;
}

/** Who answers STOP/START: Twilio's (Advanced) Opt-Out handling, or this service's TwiML. */
export type OptOutReplies = 'twilio' | 'ours';

export const VERIFY_CHANNELS = ['sms', 'call', 'whatsapp', 'email'] as const;
export type VerifyChannel = (typeof VERIFY_CHANNELS)[number];

/** Phone verification (Twilio Verify) and its SMS-pumping defences. */
export interface VerifySettings {
  serviceSid?: string;
  /** Channels /verify/start accepts. */
  channels: VerifyChannel[];
  /** Browser origins allowed to call /verify/*; empty = no browser origin. */
  allowedOrigins: string[];
  /** When set, /verify/* also require `Authorization: Bearer <VERIFY_APP_TOKEN>`. */
  appToken?: string;
  /** Our own limit per destination: maxSends per windowMinutes. */
  maxSends: number;
  windowMinutes: number;
  /** Sends per hour to one number range (E.164 without its last 4 digits). */
  prefixBudget: number;
  /** Ask Lookup for sms_pumping_risk (a paid add-on) and refuse scores at or over pumpingRiskMax. */
  lookupPumpingRisk: boolean;
  pumpingRiskMax: number;
  /** After this many SMS sends without an approval, offer (or switch to) a voice call. */
  voiceAfter: number;
  escalation: 'offer' | 'switch';
}

export interface Settings {
  /**
   * Settings that are broken but only disable what depends on them (a staff number that is not
   * E.164 sends nothing; an unreadable ALLOWED_COUNTRIES allows no country): their names, never
   * their values. STOP/START/HELP and status callbacks keep working; /health reports them.
   */
  problems: string[];
  accountSid?: string;
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Set when the product talks to the local sandbox instead of Twilio. */
  sandboxUrl?: string;
  /** Bearer token for API actions. */
  apiToken?: string;
  /** The account's sending number (E.164). */
  phoneNumber?: string;
  /** The WhatsApp sender (E.164) when it is not TWILIO_PHONE_NUMBER. */
  whatsappFrom?: string;
  /** Sync service SID or unique name holding the product's maps. */
  syncServiceSid: string;
  /** Absolute base URL Twilio uses to reach these Functions (for callback URLs). */
  publicBaseUrl: string;
  /** ISO country for reading national numbers. */
  defaultCountry?: string;
  /** Where SMS and calls may go (ALLOWED_COUNTRIES; by default the country of TWILIO_PHONE_NUMBER). */
  allowedCountries: AllowedCountries;
  /** Sends per hour to a recipient someone outside chose (IVR caller ID, auto-replies): per number, per number range. */
  triggeredLimits: { perNumber: number; perRange: number };
  helpMessage: string;
  optOutReplies: OptOutReplies;
  optOutMessage: string;
  optInMessage: string;
  /** Staff number (E.164) that receives inbound messages that are not keywords. */
  forwardTo?: string;
  /** Answer to inbound messages that are not keywords. */
  autoReply?: string;
  /** Messaging Service (MG...) to send through; needed for scheduled re-sends. */
  messagingServiceSid?: string;
  /** Longest body /sms/send accepts, in segments. */
  maxSegments: number;
  /** Alert when the last hour's delivery rate falls below this (0..1) ... */
  deliveryAlertRate: number;
  /** ... over at least this many messages. */
  deliveryAlertMin: number;
  /** Who gets the delivery-rate alert by SMS (E.164; unset: no alert). */
  alertSmsTo?: string;
  /** Scheduled re-sends after a transient delivery failure (0 turns them off). */
  smsRetryMax: number;
  verify: VerifySettings;
  whatsapp: WhatsAppSettings;
  voice: VoiceSettings;
}

/** The IVR and calls. */
export interface VoiceSettings {
  /** Invalid or missing choices repeat the menu this many times before giving up. */
  maxRetries: number;
  /** Text-to-speech voice and language for <Say> and speech <Gather>. */
  voiceName: string;
  language: string;
  /** Who is told of each new voicemail by SMS (E.164). */
  voicemailNotifyTo?: string;
  /** The Pay Connector <Pay> uses; the pay option is refused while it is unset. */
  payConnector?: string;
}

/** WhatsApp's inbound keyword router. */
export interface WhatsAppSettings {
  /** Normalised keyword (lower case, single spaces) → reply; matched on the whole message or its start. */
  keywords: Record<string, string>;
  /** Reply to anything no keyword matches. */
  helpText: string;
}

export const DEFAULT_WHATSAPP_HELP = 'Hi! Reply "support" to reach our team. Reply STOP to stop messages.';

function readKeywordTable(value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new AppError(500, 'not_configured', 'WHATSAPP_KEYWORDS must be a JSON object of keyword → reply');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((reply) => typeof reply === 'string' && reply.trim() !== '')) {
    throw new AppError(500, 'not_configured', 'WHATSAPP_KEYWORDS must be a JSON object of keyword → non-empty reply text');
  }
  return Object.fromEntries(Object.entries(parsed as Record<string, string>).map(([keyword, reply]) => [normaliseKeyword(keyword), reply]));
}

export const DEFAULT_HELP_MESSAGE = 'Reply STOP to unsubscribe, START to resubscribe. Msg&data rates may apply.';
export const DEFAULT_OPT_OUT_MESSAGE = 'You are unsubscribed and will receive no more messages. Reply START to resubscribe.';
export const DEFAULT_OPT_IN_MESSAGE = 'You are subscribed again. Reply STOP to unsubscribe, HELP for help.';

function numberSetting(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new AppError(500, 'not_configured', `${name} must be a number from ${min} to ${max}`);
  }
  return parsed;
}

function listSetting<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T[]): T[] {
  if (value === undefined) return fallback;
  const items = value.split(',').map((item) => item.trim().toLowerCase()).filter((item) => item !== '');
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0) throw new AppError(500, 'not_configured', `${name} may only list ${allowed.join(', ')} (not ${unknown.join(', ')})`);
  return items as T[];
}

function readVerifySettings(context: RuntimeContext): VerifySettings {
  return {
    serviceSid: text(context.VERIFY_SERVICE_SID),
    channels: listSetting('VERIFY_CHANNELS', text(context.VERIFY_CHANNELS), VERIFY_CHANNELS, ['sms', 'call']),
    allowedOrigins: (text(context.ALLOWED_ORIGINS) ?? '').split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean),
    appToken: text(context.VERIFY_APP_TOKEN),
    maxSends: numberSetting('VERIFY_MAX_SENDS', text(context.VERIFY_MAX_SENDS), 3, 1, 5),
    windowMinutes: numberSetting('VERIFY_WINDOW_MIN', text(context.VERIFY_WINDOW_MIN), 10, 1, 1440),
    prefixBudget: numberSetting('VERIFY_PREFIX_BUDGET', text(context.VERIFY_PREFIX_BUDGET), 30, 1, 1_000_000),
    lookupPumpingRisk: oneOf('LOOKUP_SMS_PUMPING_RISK', text(context.LOOKUP_SMS_PUMPING_RISK), ['true', 'false'], 'false') === 'true',
    pumpingRiskMax: numberSetting('PUMPING_RISK_MAX', text(context.PUMPING_RISK_MAX), 80, 0, 100),
    voiceAfter: numberSetting('VERIFY_VOICE_AFTER', text(context.VERIFY_VOICE_AFTER), 2, 1, 10),
    escalation: oneOf('VERIFY_ESCALATION', text(context.VERIFY_ESCALATION), ['offer', 'switch'], 'offer'),
  };
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  throw new AppError(500, 'not_configured', `${name} must be one of ${allowed.join(', ')}`);
}

/**
 * Reads a setting whose failure must not take down unrelated routes: on a bad value it notes the
 * variable's name in `problems`, logs why, and answers `fallback` (which fails closed).
 */
function isolated<T>(problems: string[], name: string, read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    problems.push(name);
    log('error', 'setting_invalid', { name, problem: error instanceof Error ? error.message : String(error) });
    return fallback;
  }
}

/** A staff number must be written in E.164 (+ and country code); anything else sends nothing. */
function staffNumber(problems: string[], name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return isolated(problems, name, () => normalizePhone(value).e164, undefined);
}

const text = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** Where Twilio reaches this service: PUBLIC_BASE_URL, else the Service's own domain. */
export function publicBaseUrl(context: RuntimeContext): string {
  const configured = text(context.PUBLIC_BASE_URL);
  if (configured) return configured.replace(/\/+$/, '');
  const domain = text(context.DOMAIN_NAME) ?? 'localhost:3000';
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(domain);
  return `${local ? 'http' : 'https'}://${domain}`;
}

/** Reads every setting in one place; routes never read `context.X` themselves. */
export function readSettings(context: RuntimeContext): Settings {
  const problems: string[] = [];
  return {
    problems,
    accountSid: text(context.ACCOUNT_SID),
    authToken: text(context.AUTH_TOKEN),
    apiKey: text(context.API_KEY),
    apiSecret: text(context.API_SECRET),
    sandboxUrl: text(context.TWILIO_SANDBOX_URL),
    apiToken: text(context.API_TOKEN),
    phoneNumber: text(context.TWILIO_PHONE_NUMBER),
    whatsappFrom: text(context.WHATSAPP_FROM)?.replace(/^whatsapp:/, ''),
    syncServiceSid: text(context.SYNC_SERVICE_SID) ?? 'default',
    publicBaseUrl: publicBaseUrl(context),
    defaultCountry: text(context.DEFAULT_COUNTRY)?.toUpperCase(),
    allowedCountries: isolated(problems, 'ALLOWED_COUNTRIES', () => readAllowedCountries(context.ALLOWED_COUNTRIES, text(context.TWILIO_PHONE_NUMBER)), []),
    triggeredLimits: {
      perNumber: numberSetting('TRIGGERED_SENDS_PER_HOUR', text(context.TRIGGERED_SENDS_PER_HOUR), 3, 0, 1000),
      perRange: numberSetting('TRIGGERED_RANGE_PER_HOUR', text(context.TRIGGERED_RANGE_PER_HOUR), 30, 0, 100_000),
    },
    helpMessage: text(context.HELP_MESSAGE) ?? DEFAULT_HELP_MESSAGE,
    optOutReplies: oneOf('OPT_OUT_REPLIES', text(context.OPT_OUT_REPLIES), ['twilio', 'ours'], 'twilio'),
    optOutMessage: text(context.OPT_OUT_MESSAGE) ?? DEFAULT_OPT_OUT_MESSAGE,
    optInMessage: text(context.OPT_IN_MESSAGE) ?? DEFAULT_OPT_IN_MESSAGE,
    forwardTo: staffNumber(problems, 'FORWARD_TO', text(context.FORWARD_TO)),
    autoReply: text(context.AUTO_REPLY),
    messagingServiceSid: text(context.MESSAGING_SERVICE_SID),
    maxSegments: numberSetting('MAX_SEGMENTS', text(context.MAX_SEGMENTS), 10, 1, 30),
    deliveryAlertRate: numberSetting('DELIVERY_ALERT_RATE', text(context.DELIVERY_ALERT_RATE), 0.95, 0, 1),
    deliveryAlertMin: numberSetting('DELIVERY_ALERT_MIN', text(context.DELIVERY_ALERT_MIN), 20, 1, 1_000_000),
    alertSmsTo: staffNumber(problems, 'ALERT_SMS_TO', text(context.ALERT_SMS_TO)),
    smsRetryMax: numberSetting('SMS_RETRY_MAX', text(context.SMS_RETRY_MAX), 2, 0, 5),
    verify: readVerifySettings(context),
    voice: {
      maxRetries: numberSetting('IVR_MAX_RETRIES', text(context.IVR_MAX_RETRIES), 2, 0, 5),
      voiceName: text(context.IVR_VOICE) ?? 'Polly.Joanna',
      language: text(context.IVR_LANGUAGE) ?? 'en-US',
      voicemailNotifyTo: staffNumber(problems, 'VOICEMAIL_NOTIFY_TO', text(context.VOICEMAIL_NOTIFY_TO)),
      payConnector: text(context.PAY_CONNECTOR),
    },
    whatsapp: {
      keywords: readKeywordTable(text(context.WHATSAPP_KEYWORDS)),
      helpText: text(context.WHATSAPP_HELP_TEXT) ?? DEFAULT_WHATSAPP_HELP,
    },
  };
}
