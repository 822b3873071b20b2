import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { pool } from './pool';
import type { Settings } from '../config/settings';
import { AppError, badRequest } from '../errors/app-error';
import type { Params } from '../http/params';
import { destinationRefusal } from '../outbound/geography';
import { normalizePhone } from '../phone/e164';
import { campaignOptIn, recordConsentChange, type ConsentChange } from '../consent/change';
import type { Stores } from '../stores';
import type { CampaignRecord, PageSummary, Recipient, Refusal } from './store';
import { BATCH_SIZE } from './store';
import { missingVariables } from './template';

/** The most recipients one page may carry: what one invocation checks and stores well inside 10 s. */
export const MAX_PAGE = 500;
/** The most pages a campaign may have (its record lists them; Sync items hold 16 KiB). */
export const MAX_PAGES = 400;
const MAX_VARIABLES_BYTES = 300;
/** Sync requests one page upload keeps in flight. */
const CLAIMS_IN_FLIGHT = 16;

interface PageRequest {
  page: number;
  rows: Array<Record<string, unknown>>;
}

/** `{ id, page, recipients: [{ to | phone, ...columns }] }`, bounded before anything else is done with it. */
export function readPage(params: Params): PageRequest {
  const raw = params.page;
  const page = typeof raw === 'number' || (typeof raw === 'string' && /^\d{1,4}$/.test(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(page) || page < 0 || page >= MAX_PAGES)
    throw badRequest('invalid_parameter', `"page" is a whole number from 0 to ${MAX_PAGES - 1}`);
  const rows = params.recipients;
  if (!Array.isArray(rows) || rows.length === 0)
    throw badRequest('invalid_parameter', '"recipients" must be a non-empty list of { to, ...columns }');
  if (rows.length > MAX_PAGE) throw badRequest('page_too_large', `At most ${MAX_PAGE} recipients per page`);
  if (!rows.every((row): row is Record<string, unknown> => typeof row === 'object' && row !== null && !Array.isArray(row))) {
    throw badRequest('invalid_parameter', 'Each recipient is an object such as { "to": "+14155550142", "name": "Ada" }');
  }
  return { page, rows };
}

/** An accepted row, with the opt-in its proof columns carry (marketing campaigns only). */
type Checked = { recipient: Recipient; optIn?: ConsentChange } | { refusal: Omit<Refusal, 'row'> };

/** Whether a row carries proof of consent: either column present and not empty. */
const hasProof = (row: Record<string, unknown>) =>
  [row.consentSource, row.consentAt].some((value) => value !== undefined && value !== null && value !== '');

/**
 * One row: its number (E.164, an allowed destination, a mobile when SMS and the type is known),
 * its variables, and for a marketing campaign the opt-in its `consentSource` and `consentAt`
 * columns prove (`invalid_consent` when they are there but not valid; transactional campaigns
 * ignore them).
 */
function checkRow(row: Record<string, unknown>, campaign: CampaignRecord, settings: Settings, now: Date): Checked {
  const raw = row.to ?? row.phone;
  const shown = typeof raw === 'string' ? raw.slice(0, 32) : '';
  if (typeof raw !== 'string') return { refusal: { to: shown, reason: 'invalid' } };
  let to: string;
  try {
    to = normalizePhone(raw, { defaultCountry: settings.defaultCountry }).e164;
  } catch {
    return { refusal: { to: shown, reason: 'invalid' } };
  }
  if (campaign.channel === 'sms') {
    const placeRefusal = destinationRefusal(settings.allowedCountries, to);
    if (placeRefusal) return { refusal: { to, reason: placeRefusal.code } };
    // libphonenumber knows some numbers are landlines (not FIXED_LINE_OR_MOBILE): texts cannot reach them.
    if (parsePhoneNumberFromString(to)?.getType() === 'FIXED_LINE') return { refusal: { to, reason: 'not_mobile' } };
  }
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(row)) {
    if (!campaign.columns.includes(name)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') vars[name] = String(value).slice(0, 200);
  }
  if (missingVariables(campaign.columns, vars).length > 0) return { refusal: { to, reason: 'missing_variable' } };
  if (Buffer.byteLength(JSON.stringify(vars)) > MAX_VARIABLES_BYTES) return { refusal: { to, reason: 'variables_too_long' } };
  if (campaign.kind !== 'marketing' || !hasProof(row)) return { recipient: { to, vars } };
  try {
    return {
      recipient: { to, vars },
      optIn: campaignOptIn(to, campaign, { consentSource: row.consentSource, consentAt: row.consentAt }, now),
    };
  } catch {
    return { refusal: { to, reason: 'invalid_consent' } };
  }
}

/**
 * A marketing row's consent, side by side with its claim: the opt-in its proof carries is
 * recorded (as `POST /consent` records one), or else a marketing opt-in must already be recorded
 * on the campaign's channel. True when the row may stay.
 */
async function consentHolds(stores: Stores, campaign: CampaignRecord, item: Extract<Checked, { recipient: Recipient }>): Promise<boolean> {
  if (item.optIn) {
    await recordConsentChange(stores, item.optIn);
    return true;
  }
  return (await stores.consentHistory.read(item.recipient.to)).marketing[campaign.channel] !== undefined;
}

/**
 * Adds a page: each row normalised and checked, duplicates (within the page and against earlier
 * pages) refused, a marketing row's proof recorded as an opt-in (or the row refused with
 * `no_marketing_consent` when it has none and none is recorded), the accepted rows stored in
 * batches, then the page summary; all idempotent per page number, so a caller that crashed
 * mid-upload simply sends the page again (a proof recorded twice is one event).
 */
export async function addPage(
  stores: Stores,
  settings: Settings,
  campaign: CampaignRecord,
  request: PageRequest,
  now = new Date(),
): Promise<PageSummary & { duplicatePage: boolean }> {
  const store = stores.campaigns;
  const hash = createHash('sha256').update(JSON.stringify(request.rows)).digest('hex');
  if (!(await store.bindPage(campaign.id, request.page, hash))) {
    throw new AppError(409, 'page_conflict', `Page ${request.page} was already added with other rows; pages are numbered once`);
  }
  const existing = await store.page(campaign.id, request.page);
  if (existing) return { ...existing, duplicatePage: true };
  // Pages are added before the first run: the drivers' cursor walks pages in order and never back.
  if (campaign.state !== 'open') throw new AppError(409, 'campaign_started', 'Recipients can only be added before the first run');
  const accepted: Recipient[] = [];
  const refused: Refusal[] = [];
  const inPage = new Set<string>();
  const checked = request.rows.map((row) => checkRow(row, campaign, settings, now));
  // Across pages: one claim per number (sharded map); a marketing row's consent (a history
  // append or read, another sharded map) beside it; at most CLAIMS_IN_FLIGHT requests at once.
  const firsts = checked.map((item) => 'recipient' in item && !inPage.has(item.recipient.to) && Boolean(inPage.add(item.recipient.to)));
  const firstIndexes = checked.flatMap((_, index) => (firsts[index] ? [index] : []));
  const marketing = campaign.kind === 'marketing';
  const works = firstIndexes.flatMap((index) => {
    const item = checked[index];
    if (!('recipient' in item)) return [];
    const claim = () => store.markSeen(campaign.id, item.recipient.to, request.page);
    return marketing ? [claim, () => consentHolds(stores, campaign, item)] : [claim];
  });
  const answers = await pool(works, CLAIMS_IN_FLIGHT, (work) => work());
  const stride = marketing ? 2 : 1;
  const seen = new Map(firstIndexes.map((index, k) => [index, answers[k * stride] === true]));
  const consented = new Map(firstIndexes.map((index, k) => [index, !marketing || answers[k * stride + 1] === true]));
  checked.forEach((item, index) => {
    const row = request.page * MAX_PAGE + index + 1;
    if ('refusal' in item) refused.push({ row, ...item.refusal });
    else if (!seen.get(index)) refused.push({ row, to: item.recipient.to, reason: 'duplicate' });
    else if (!consented.get(index)) refused.push({ row, to: item.recipient.to, reason: 'no_marketing_consent' });
    else accepted.push(item.recipient);
  });
  const batches = Math.ceil(accepted.length / BATCH_SIZE);
  await pool(
    Array.from({ length: batches }, (_, batch) => batch),
    CLAIMS_IN_FLIGHT,
    (batch) => store.saveBatch(campaign.id, request.page, batch, accepted.slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE)),
  );
  const summary: PageSummary = { accepted: accepted.length, refused, batches };
  if (!(await store.savePage(campaign.id, request.page, summary)))
    return { ...((await store.page(campaign.id, request.page)) ?? summary), duplicatePage: true };
  await store.update(campaign.id, (current) => {
    if (current.pages[String(request.page)] !== undefined) return undefined;
    const refusedByReason = { ...current.refusedByReason };
    for (const refusal of refused) refusedByReason[refusal.reason] = (refusedByReason[refusal.reason] ?? 0) + 1;
    return {
      ...current,
      pages: { ...current.pages, [String(request.page)]: batches },
      accepted: current.accepted + accepted.length,
      uploadRefused: current.uploadRefused + refused.length,
      refusedByReason,
    };
  });
  return { ...summary, duplicatePage: false };
}
