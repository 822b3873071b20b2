import { badRequest } from '../errors/app-error';
import { csvLine } from '../http/csv';
import { optionalString, readLimit, type Params } from '../http/params';
import type { Stores } from '../stores';

/** Numbers per export page: at most 100 histories of MAX_HISTORY events, well inside a Function's 10 s. */
const EXPORT_PAGE = { default: 50, max: 100 } as const;

const COLUMNS = ['number', 'channel', 'purpose', 'change', 'source', 'wording', 'at', 'recordedAt'] as const;

/**
 * `GET /consent/export?cursor=&limit=`: one page of the consent histories as CSV (a header line,
 * then one line per event, every cell escaped against formula injection) and the cursor of the
 * next page, absent on the last one.
 */
export async function exportConsentPage(stores: Stores, params: Params): Promise<{ text: string; next?: string }> {
  const limit = readLimit(params, EXPORT_PAGE.default, EXPORT_PAGE.max);
  const cursor = optionalString(params, 'cursor', { maxLength: 1_000 });
  const page = await stores.consentHistory.page(limit, cursor).catch((error: unknown) => {
    if (error instanceof RangeError) throw badRequest('invalid_parameter', '"cursor" must be a cursor from a previous page');
    throw error;
  });
  const lines = page.histories.flatMap((history) =>
    history.events.map((event) =>
      csvLine([history.number, event.channel, event.purpose, event.change, event.source, event.wording ?? '', event.at, event.recordedAt]),
    ),
  );
  return { text: csvLine(COLUMNS) + lines.join(''), ...(page.next ? { next: page.next } : {}) };
}
