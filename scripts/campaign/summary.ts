// What the CLI prints about a campaign: the plan, the closing summary table, and the CSV of
// refusals (paged from the service, so it holds every refusal whichever driver made it).
import { open, rename, rm } from 'node:fs/promises';
import type { CampaignApi, Plan, Status } from './api';
import { formatDuration } from './progress';
import { csvField } from '../../src/lib/http/csv';

const number = (value: number): string => value.toLocaleString('en-US');

const SENDERS: Readonly<Record<string, string>> = {
  long_code: 'long code',
  toll_free: 'toll-free number',
  short_code: 'short code',
  messaging_service: 'Messaging Service',
};

/** Two aligned columns, indented; a label starting with spaces is a sub-row. */
function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  return rows.map(([label, value]) => `  ${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`.trimEnd()).join('\n');
}

/** The plan: sender, throughput, ETA, and whether Twilio's ~10 h queue holds it. */
export function formatPlan(plan: Plan): string {
  const queue = plan.fitsQueue
    ? `${plan.queueHours} h of backlog: fits`
    : `${plan.queueHours} h of backlog: does NOT fit (Twilio fails messages queued ~10 h with 30001); schedule with --send-at or use a faster sender`;
  return table([
    ['recipients', number(plan.recipients)],
    ['sender', `${SENDERS[plan.senderType] ?? plan.senderType}, ${plan.mps} message${plan.mps === 1 ? '' : 's'}/s`],
    ['ETA', formatDuration(plan.etaSeconds)],
    ['Twilio queue', queue],
  ]);
}

/** The plan's warnings (US senders carriers will block), one `WARNING` line each; nothing when there are none. */
export function formatWarnings(warnings: ReadonlyArray<{ message: string }>): string {
  return warnings.map((warning) => `\nWARNING: ${warning.message}`).join('');
}

/** `deliveryRate` as a percentage; the contract does not say fraction or percent, so a value up to 1 is read as a fraction. */
const rate = (value: number): string => `${(value <= 1 ? value * 100 : value).toFixed(1)}%`;

/** The closing table: recipients, sent, refusals by reason, failed, delivery so far. */
export function formatSummary(status: Status): string {
  const { progress } = status;
  const rows: Array<readonly [string, string]> = [
    ['recipients', number(progress.total)],
    ['sent', number(progress.sent)],
    ['refused', number(progress.refused)],
  ];
  const reasons = Object.entries(status.refusedByReason ?? {})
    .filter(([, count]) => count > 0)
    .sort(([, a], [, b]) => b - a);
  for (const [reason, count] of reasons) rows.push([`  ${reason}`, number(count)]);
  rows.push(['failed', number(progress.failed)]);
  if (progress.pending > 0) rows.push(['not yet sent', number(progress.pending)]);
  const delivery = Object.entries(status.delivery ?? {}).filter(([, count]) => count > 0);
  if (delivery.length > 0) {
    rows.push(['delivery so far', '']);
    for (const [state, count] of delivery) rows.push([`  ${state}`, number(count)]);
  }
  if (typeof status.deliveryRate === 'number') rows.push(['delivery rate', rate(status.deliveryRate)]);
  if (typeof status.stopsWithin24h === 'number') rows.push(['STOPs within 24 h', number(status.stopsWithin24h)]);
  const title = `Campaign ${status.id}${status.name ? ` "${status.name}"` : ''}: ${status.state}`;
  return `${title}\n${table(rows)}`;
}

/**
 * Pages through the refused recipients (`nextCursor`) into a CSV of `to,reason`; returns how
 * many. A cursor seen twice ends the loop rather than spinning on a service bug. Written beside
 * the file and renamed into place, so two drivers finishing in one directory never interleave.
 */
export async function writeRefusals(api: CampaignApi, id: string, file: string): Promise<number> {
  const partial = `${file}.${process.pid}.partial`;
  const out = await open(partial, 'w', 0o600);
  let count = 0;
  let complete = false;
  try {
    await out.write('to,reason\n');
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await api.recipientList(id, 'refused', cursor);
      const lines = page.recipients.map((recipient) => `${csvField(recipient.to)},${csvField(recipient.reason ?? '')}\n`);
      await out.write(lines.join(''));
      count += lines.length;
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined && seen.has(cursor)) break;
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
    complete = true;
  } finally {
    await out.close();
    if (complete) await rename(partial, file);
    else await rm(partial, { force: true });
  }
  return count;
}
