import { randomBytes } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Settings } from '../config/settings';
import { AppError, badRequest } from '../errors/app-error';
import { optionalBoolean, optionalString, requiredString, type Params } from '../http/params';
import type { MessagingChannel } from '../outbound/address';
import { readPurpose, type Purpose } from '../outbound/purpose';
import { HHMM, minutesOf, quietHoursProblem, type QuietHours } from './quiet-hours';
import { placeholders } from './template';
import type { CampaignRecord, CampaignStore } from './store';
import { MAX_PAGE, MAX_PAGES } from './recipients';
import type { SendContext } from '../outbound/twilio-requests';
import { messagingServiceMps, SENDER_MPS } from './sender-mps';
import { describeUnregistered, readSenderRegistrations } from '../messaging/sender-registration';
import { describeError, log } from '../logging/log';

const MAX_RECIPIENTS = MAX_PAGE * MAX_PAGES;

type CampaignKind = Purpose;
export type CampaignState = 'open' | 'running' | 'done' | 'canceled';

/** What a campaign sends, fixed at creation. */
export interface CampaignDefinition {
  id: string;
  name: string;
  channel: MessagingChannel;
  kind: CampaignKind;
  /** Free-form text with `{{column}}` placeholders (SMS; WhatsApp inside the window). */
  body?: string;
  /** An approved Content template and its variables (values may be `{{column}}` placeholders). */
  contentSid?: string;
  contentVariables?: Record<string, string>;
  /** Every `{{column}}` the body or the template variables use. */
  columns: string[];
  /** Send no earlier than this (epoch ms). */
  sendAt?: number;
  quietHours?: QuietHours;
  /** Messages per second the sender drains (the plan's figure). */
  mps: number;
  createdAt: string;
}

/** How long the campaign takes at the sender's throughput, and whether Twilio's queue holds it. */
export interface Plan {
  senderType: 'long_code' | 'toll_free' | 'short_code' | 'messaging_service';
  mps: number;
  recipients: number;
  etaSeconds: number;
  queueHours: number;
  /** Twilio drops messages that wait more than about 10 hours in a sender's queue (30001). */
  fitsQueue: boolean;
}

/** Twilio fails a queued message with 30001 after about 10 hours; we keep at most 9 hours queued. */
export const MAX_QUEUE_SECONDS = 9 * 3_600;

/** A sender's throughput by type; a Messaging Service's is measured from its senders (`messagingServiceMps`), 1 until then. */
const MPS: Readonly<Record<Plan['senderType'], number>> = { ...SENDER_MPS, messaging_service: 1 };

function senderType(settings: Settings): Plan['senderType'] {
  if (settings.messagingServiceSid) return 'messaging_service';
  const number = settings.phoneNumber ?? '';
  if (/^\d{5,6}$/.test(number)) return 'short_code';
  return parsePhoneNumberFromString(number)?.getType() === 'TOLL_FREE' ? 'toll_free' : 'long_code';
}

/** The plan for `recipients` messages: the sender's MPS (or the one given), ETA and queue depth. */
export function planFor(settings: Settings, recipients: number, mps?: number): Plan {
  const type = senderType(settings);
  const rate = mps ?? MPS[type];
  const etaSeconds = Math.ceil(recipients / rate);
  return {
    senderType: type,
    mps: rate,
    recipients,
    etaSeconds,
    queueHours: Math.round((etaSeconds / 3_600) * 100) / 100,
    fitsQueue: etaSeconds <= MAX_QUEUE_SECONDS,
  };
}

/** Marketing is sent only from 8 a.m. to 9 p.m. in the recipient's time (the US TCPA's hours) unless told otherwise. */
const MARKETING_QUIET_HOURS = { start: '21:00', end: '08:00' };

function readQuietHours(params: Params, kind: CampaignKind): QuietHours | undefined {
  const value = params.quietHours ?? (kind === 'marketing' ? MARKETING_QUIET_HOURS : undefined);
  if (value === undefined || value === null || value === '' || value === false || value === 'none') return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest('invalid_parameter', '"quietHours" must be { start: "21:00", end: "08:00", timeZone }');
  const quiet = value as Params;
  const start = requiredString(quiet, 'start', { maxLength: 5 });
  const end = requiredString(quiet, 'end', { maxLength: 5 });
  if (!HHMM.test(start) || !HHMM.test(end)) throw badRequest('invalid_parameter', '"quietHours" start and end are HH:MM (24-hour)');
  const problem = quietHoursProblem({ start: minutesOf(start), end: minutesOf(end) }, kind);
  if (problem) throw badRequest('invalid_parameter', `"quietHours" ${start} to ${end} ${problem}`);
  // The sender's zone, for recipients whose own zone the number does not tell (else every zone their country spans).
  const timeZone = optionalString(quiet, 'timeZone', { maxLength: 64 }) ?? optionalString(params, 'timeZone', { maxLength: 64 });
  if (timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      throw badRequest('invalid_parameter', `"quietHours.timeZone" ${timeZone.slice(0, 64)} is not an IANA time zone`);
    }
  }
  return { start: minutesOf(start), end: minutesOf(end), ...(timeZone ? { timeZone } : {}) };
}

function readContentVariables(params: Params): Record<string, string> | undefined {
  const value = params.contentVariables;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest('invalid_parameter', '"contentVariables" must be an object such as {"1":"{{name}}"}');
  const entries = Object.entries(value as Record<string, unknown>);
  if (
    entries.length > 20 ||
    !entries.every(([name, text]) => /^[\w.-]{1,20}$/.test(name) && typeof text === 'string' && Buffer.byteLength(text) <= 200)
  ) {
    throw badRequest('invalid_parameter', '"contentVariables" holds at most 20 names (letters, digits, ._-) and texts of 200 bytes');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** `POST /campaigns`: name, channel, kind, a body or a template, optional sendAt and quiet hours. */
export function readCampaignRequest(
  params: Params,
  settings: Settings,
  now = Date.now(),
): { definition: CampaignDefinition; expectedRecipients?: number; dryRun: boolean; mpsGiven: boolean; force: boolean } {
  const name = requiredString(params, 'name', { maxLength: 100 });
  const channel = (optionalString(params, 'channel', { maxLength: 10 }) ?? 'sms') as MessagingChannel;
  if (channel !== 'sms' && channel !== 'whatsapp') throw badRequest('invalid_parameter', '"channel" is sms or whatsapp');
  // `kind` and `purpose` name the same idea (as on every send); they must agree when both are given.
  const kind: CampaignKind = readPurpose(params, ['kind']);
  const body = optionalString(params, 'body', { maxLength: 1_600 });
  const contentSid = optionalString(params, 'contentSid', { maxLength: 34 });
  if (contentSid !== undefined && !/^HX[0-9a-f]{32}$/.test(contentSid))
    throw badRequest('invalid_parameter', '"contentSid" must be a Content template SID (HX…)');
  if (Boolean(body) === Boolean(contentSid)) throw badRequest('invalid_parameter', 'Give exactly one of "body" or "contentSid"');
  if (channel === 'whatsapp' && !contentSid) {
    throw badRequest(
      'template_required',
      'A WhatsApp campaign reaches people outside their 24-hour window: send an approved template (contentSid)',
    );
  }
  const contentVariables = readContentVariables(params);
  const sendAtText = optionalString(params, 'sendAt', { maxLength: 40 });
  const sendAt = sendAtText === undefined ? undefined : Date.parse(sendAtText);
  if (sendAt !== undefined && (!Number.isFinite(sendAt) || sendAt > now + 35 * 86_400_000))
    throw badRequest('invalid_parameter', '"sendAt" must be an ISO time within 35 days');
  const expected = optionalString(params, 'expectedRecipients', { maxLength: 9 });
  const expectedRecipients = expected === undefined ? undefined : Number(expected);
  if (expectedRecipients !== undefined && (!Number.isInteger(expectedRecipients) || expectedRecipients < 0))
    throw badRequest('invalid_parameter', '"expectedRecipients" is a whole number');
  if (expectedRecipients !== undefined && expectedRecipients > MAX_RECIPIENTS) {
    throw badRequest(
      'campaign_too_large',
      `A campaign holds at most ${MAX_RECIPIENTS} recipients (${MAX_PAGES} pages of ${MAX_PAGE}); split the list`,
    );
  }
  const mpsText = optionalString(params, 'mps', { maxLength: 6 });
  const mps = mpsText === undefined ? undefined : Number(mpsText);
  if (mps !== undefined && (!Number.isFinite(mps) || mps <= 0 || mps > 1_000))
    throw badRequest('invalid_parameter', '"mps" is a number from 0 to 1000');
  const quietHours = readQuietHours(params, kind);
  const columns = [...new Set([...placeholders(body ?? ''), ...Object.values(contentVariables ?? {}).flatMap(placeholders)])];
  const definition: CampaignDefinition = {
    id: `CP${randomBytes(16).toString('hex')}`,
    name,
    channel,
    kind,
    ...(body ? { body } : {}),
    ...(contentSid ? { contentSid, ...(contentVariables ? { contentVariables } : {}) } : {}),
    columns,
    ...(sendAt !== undefined ? { sendAt } : {}),
    ...(quietHours ? { quietHours } : {}),
    mps: planFor(settings, 0, mps).mps,
    createdAt: new Date(now).toISOString(),
  };
  return {
    definition,
    ...(expectedRecipients === undefined ? {} : { expectedRecipients }),
    dryRun: optionalBoolean(params, 'dryRun') ?? false,
    mpsGiven: mps !== undefined,
    force: optionalBoolean(params, 'force') ?? false,
  };
}

/** A campaign id from the body or the query: `CP` and 32 hex digits. */
export function readCampaignId(params: Params): string {
  const id = requiredString(params, 'id', { maxLength: 34 });
  if (!/^CP[0-9a-f]{32}$/.test(id)) throw badRequest('invalid_parameter', '"id" must be a campaign id (CP…)');
  return id;
}

/** A new campaign's record: open for recipients, nothing sent. */
export function newCampaignRecord(definition: CampaignDefinition): CampaignRecord {
  return {
    ...definition,
    state: 'open',
    pages: {},
    accepted: 0,
    uploadRefused: 0,
    cursor: 0,
    counts: { sent: 0, refused: 0, failed: 0 },
    refusedByReason: {},
    queueClearsAt: 0,
  };
}

/** The campaign, when it still takes recipients (anything but canceled). */
export async function openCampaign(store: CampaignStore, id: string): Promise<CampaignRecord> {
  const record = await store.get(id);
  if (!record) throw new AppError(404, 'not_found', `No campaign ${id}`);
  if (record.state === 'canceled') throw new AppError(409, 'campaign_canceled', 'This campaign was canceled');
  return record;
}

/** A sender the campaign may send from that US carriers will block, as the plan reports it. */
interface SenderWarning {
  code: 'sender_not_registered' | 'sender_registration_unknown';
  sender?: string;
  status?: string | null;
  errorCode?: 30034 | 30032;
  message: string;
}

/**
 * What is wrong with the campaign's US senders: each one not registered (30034 / 30032 ahead), or
 * one warning when Twilio could not tell (a key without access, a region without the API): a
 * registration we cannot read never holds a campaign back.
 */
async function senderWarnings(context: SendContext): Promise<SenderWarning[]> {
  try {
    const registrations = await readSenderRegistrations(context.twilio(), context.settings, context.deadline);
    return registrations
      .filter((r) => !r.registered)
      .map((r) => ({
        code: 'sender_not_registered',
        sender: r.sender,
        status: r.status,
        errorCode: r.errorCode,
        message: describeUnregistered(r),
      }));
  } catch (error) {
    log('warn', 'sender_registration_unread', { error: describeError(error) });
    return [{ code: 'sender_registration_unknown', message: "Could not read the senders' A2P 10DLC / toll-free registration from Twilio" }];
  }
}

/**
 * The campaign as it will run: its MPS is the one given, else a Messaging Service's measured from
 * its senders, else the sender type's; the plan for `expectedRecipients` at that rate; and the
 * senders US carriers will block (`warnings`). Creating a campaign whose sender is not registered
 * is refused (409 `sender_not_registered`: every US message would fail with 30034 / 30032) unless
 * `force`; a dry run only warns.
 */
export async function planCampaign(
  context: SendContext,
  { definition, expectedRecipients, mpsGiven, dryRun, force }: ReturnType<typeof readCampaignRequest>,
): Promise<{ definition: CampaignDefinition; plan: Plan; warnings: SenderWarning[] }> {
  const [measured, warnings] = await Promise.all([mpsGiven ? undefined : messagingServiceMps(context), senderWarnings(context)]);
  const blocked = warnings.filter((w) => w.code === 'sender_not_registered');
  if (blocked.length > 0 && !dryRun && !force) {
    throw new AppError(
      409,
      'sender_not_registered',
      `${blocked.map((w) => w.message).join('. ')}. Send "force": true to create the campaign all the same.`,
    );
  }
  const planned = measured === undefined ? definition : { ...definition, mps: measured };
  return { definition: planned, plan: planFor(context.settings, expectedRecipients ?? 0, planned.mps), warnings };
}
