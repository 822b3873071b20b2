import { badRequest } from './errors';

/**
 * Twilio's list paging. A page token names the boundary item of the page it continues from:
 * `PA<cursor>` = the items after it, `PB<cursor>` = the items before it. Cursors rather than
 * offsets keep paging stable while other requests add or remove resources.
 */
interface PageToken {
  direction: 'after' | 'before';
  cursor: string;
}

export interface PageRequest {
  pageSize: number;
  /** The `Page` index: client state that Twilio echoes back. */
  page: number;
  token: PageToken | null;
}

export interface PageSlice<T> {
  items: T[];
  /** Index of the first item within the full ordered list. */
  start: number;
  next: PageToken | null;
  previous: PageToken | null;
}

function encodePageToken(token: PageToken): string {
  return (token.direction === 'after' ? 'PA' : 'PB') + Buffer.from(token.cursor, 'utf8').toString('base64url');
}

function decodePageToken(raw: string): PageToken {
  const direction = raw.startsWith('PA') ? 'after' : raw.startsWith('PB') ? 'before' : null;
  if (!direction) throw badRequest(20001, `Invalid PageToken: ${raw}`);
  return { direction, cursor: Buffer.from(raw.slice(2), 'base64url').toString('utf8') };
}

/** Reads PageSize (clamped to `maxSize`), Page and PageToken from a query. */
export function readPageRequest(query: URLSearchParams, maxSize: number, defaultSize = 50): PageRequest {
  const sizeRaw = query.get('PageSize');
  const pageRaw = query.get('Page');
  const tokenRaw = query.get('PageToken');
  const size = sizeRaw === null ? defaultSize : Number(sizeRaw);
  if (!Number.isInteger(size) || size < 1) throw badRequest(20001, `Invalid PageSize: ${sizeRaw}`);
  const page = pageRaw === null ? 0 : Number(pageRaw);
  if (!Number.isInteger(page) || page < 0) throw badRequest(20001, `Invalid Page: ${pageRaw}`);
  return {
    pageSize: Math.min(size, maxSize),
    page,
    token: tokenRaw ? decodePageToken(tokenRaw) : null,
  };
}

/**
 * Cuts one page out of `ordered` (already filtered and in list order). `compare(item, cursor)`
 * is negative when the item lies before the cursor in list order, 0 at it, positive after.
 */
export function slicePage<T>(
  ordered: readonly T[],
  request: PageRequest,
  cursorOf: (item: T) => string,
  compare: (item: T, cursor: string) => number,
): PageSlice<T> {
  const { token, pageSize } = request;
  let start = 0;
  if (token?.direction === 'after') {
    start = firstIndex(ordered, (item) => compare(item, token.cursor) > 0);
  } else if (token?.direction === 'before') {
    const end = firstIndex(ordered, (item) => compare(item, token.cursor) >= 0);
    start = Math.max(0, end - pageSize);
  }
  const items = ordered.slice(start, start + pageSize);
  const last = items[items.length - 1];
  const first = items[0];
  return {
    items,
    start,
    next: last !== undefined && start + items.length < ordered.length ? { direction: 'after', cursor: cursorOf(last) } : null,
    previous: first !== undefined && start > 0 ? { direction: 'before', cursor: cursorOf(first) } : null,
  };
}

/** Index of the first item satisfying `test`, or `items.length`. */
function firstIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  const index = items.findIndex(test);
  return index < 0 ? items.length : index;
}

function withPaging(path: string, filters: ReadonlyArray<[string, string]>, size: number, page: number, token: PageToken | null): string {
  const query = new URLSearchParams([...filters]);
  query.set('PageSize', String(size));
  query.set('Page', String(page));
  if (token) query.set('PageToken', encodePageToken(token));
  return `${path}?${query.toString()}`;
}

/** The 2010 API's list envelope: `{ <key>: [...], page, page_size, uri, first_page_uri, … }`. */
export function listEnvelope2010<T>(
  key: string,
  path: string,
  filters: ReadonlyArray<[string, string]>,
  request: PageRequest,
  slice: PageSlice<unknown>,
  resources: T[],
): Record<string, unknown> {
  const { pageSize, page, token } = request;
  return {
    [key]: resources,
    end: slice.start + Math.max(resources.length - 1, 0),
    first_page_uri: withPaging(path, filters, pageSize, 0, null),
    next_page_uri: slice.next ? withPaging(path, filters, pageSize, page + 1, slice.next) : null,
    page,
    page_size: pageSize,
    previous_page_uri: slice.previous ? withPaging(path, filters, pageSize, Math.max(page - 1, 0), slice.previous) : null,
    start: slice.start,
    uri: withPaging(path, filters, pageSize, page, token),
  };
}

/** The v1 APIs' list envelope: `{ <key>: [...], meta: { key, page, next_page_url, … } }`. */
export function listEnvelopeV1<T>(
  key: string,
  absoluteUrl: string,
  filters: ReadonlyArray<[string, string]>,
  request: PageRequest,
  slice: PageSlice<unknown>,
  resources: T[],
): Record<string, unknown> {
  const { pageSize, page, token } = request;
  return {
    [key]: resources,
    meta: {
      first_page_url: withPaging(absoluteUrl, filters, pageSize, 0, null),
      key,
      next_page_url: slice.next ? withPaging(absoluteUrl, filters, pageSize, page + 1, slice.next) : null,
      page,
      page_size: pageSize,
      previous_page_url: slice.previous ? withPaging(absoluteUrl, filters, pageSize, Math.max(page - 1, 0), slice.previous) : null,
      url: withPaging(absoluteUrl, filters, pageSize, page, token),
    },
  };
}

/** The filter parameters of a list request, in a fixed order, to repeat in the paging URLs. */
export function pickFilters(query: URLSearchParams, names: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of names) {
    const value = query.get(name);
    if (value !== null) out.push([name, value]);
  }
  return out;
}

/**
 * `slicePage` for a list in its array order whose cursors are `keyOf` (unique per item): the
 * positions are looked up once per page, not searched for each item.
 */
export function sliceInListOrder<T>(ordered: readonly T[], request: PageRequest, keyOf: (item: T) => string): PageSlice<T> {
  const position = new Map(ordered.map((item, index) => [keyOf(item), index]));
  return slicePage(ordered, request, keyOf, (item, cursor) => (position.get(keyOf(item)) ?? 0) - (position.get(cursor) ?? -1));
}
