// The recipients CSV: a header row naming the columns, `phone` or `to` the recipient, every other
// column a template variable (or a marketing row's proof, `consentSource` and `consentAt`, which
// the service records at upload). Read as a stream (a million rows need no more memory than a page),
// once to check it all before anything is created, then again page by page to upload.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parse, CsvError, type InfoRecord } from 'csv-parse';
import type { RecipientRow } from './api';
import { badInput, errorCode } from './errors';

/** What a full read of the file found; `sha256` ties a resumed campaign to the same bytes. */
export interface CsvSummary {
  path: string;
  rows: number;
  /** The recipient column as the header spells it. */
  recipientColumn: string;
  /** Every other column: the template variables. */
  variables: string[];
  sha256: string;
}

export interface CsvPage {
  page: number;
  rows: RecipientRow[];
}

const RECIPIENT_COLUMNS = ['phone', 'to'];
/** What the service refuses in any text (control characters other than tab and line breaks, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are refused
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/;

interface Header {
  names: string[];
  recipientIndex: number;
}

interface Row {
  /** The line the row starts on (the header is row 1), as an editor or a spreadsheet shows it. */
  line: number;
  values: RecipientRow;
}

const quoteList = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

function readHeader(file: string, fields: string[], line: number): Header {
  const seen = new Set<string>();
  fields.forEach((name, index) => {
    if (name === '') throw badInput(`${file} row ${line}: column ${index + 1} has no name; the header row must name every column`);
    if (seen.has(name)) throw badInput(`${file} row ${line}: column "${name}" appears twice`);
    seen.add(name);
  });
  const recipients = fields.map((name, index) => ({ name, index })).filter(({ name }) => RECIPIENT_COLUMNS.includes(name.toLowerCase()));
  if (recipients.length === 0) {
    throw badInput(`${file} row ${line}: no recipient column; the header must name a "phone" or "to" column (it has ${quoteList(fields)})`);
  }
  if (recipients.length > 1)
    throw badInput(`${file} row ${line}: both ${quoteList(recipients.map(({ name }) => name))} columns; keep one recipient column`);
  return { names: fields, recipientIndex: recipients[0].index };
}

/** A csv-parse error as a person reads it: the row it starts on, what is wrong, how to fix it. */
function describeParseError(file: string, error: CsvError, line: number, header: Header | undefined): string {
  const where = `${file} row ${line}`;
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const got = Array.isArray(error.record) ? error.record.length : undefined;
      const expected = header ? `${header.names.length} (${header.names.join(', ')})` : 'the header';
      return `${where}: ${got ?? 'a different number of'} values, but the header has ${expected}; quote values that contain commas`;
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return `${where}: a quoted value that opens in this row or below is never closed; every " that opens a value needs one that ends it`;
    case 'INVALID_OPENING_QUOTE':
      return `${where}: a " inside an unquoted value; put the value in quotes and double the quote inside it ("")`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `${where}: text after a closing quote; a quoted value ends at its closing "`;
    default:
      return `${where}: ${error.message}`;
  }
}

function describeFileError(file: string, error: unknown): string | undefined {
  const code = errorCode(error);
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EISDIR') return `${file} is a directory, not a CSV file`;
  if (code === 'EACCES' || code === 'EPERM') return `${file}: no permission to read it`;
  return undefined;
}

/** Bytes that say the file is not UTF-8 text: NULs (a spreadsheet or UTF-16 file). */
function notTextFile(file: string, chunk: Buffer): Error | undefined {
  if (chunk.subarray(0, 4).equals(Buffer.from('PK\u0003\u0004', 'latin1'))) {
    return badInput(`${file} is a spreadsheet (xlsx), not CSV: save it as "CSV UTF-8"`);
  }
  if (chunk.subarray(0, 4096).includes(0)) return badInput(`${file} is not UTF-8 text (UTF-16 or binary?): save it as "CSV UTF-8"`);
  return undefined;
}

/**
 * Every data row of the file, with the line it starts on, after the header is checked. Structural
 * mistakes (a wrong number of values, an unclosed quote) and text the service would refuse throw
 * `badInput` naming the row. Rows with every value empty (a spreadsheet's trailing `,,,`) are skipped.
 */
async function* readRows(
  shown: string,
  { hash, onHeader }: { hash?: Hash; onHeader?: (header: Header) => void } = {},
): AsyncGenerator<Row> {
  const file = path.resolve(shown);
  try {
    if ((await stat(file)).isDirectory()) throw badInput(`${shown} is a directory, not a CSV file`);
  } catch (error) {
    const message = describeFileError(shown, error);
    if (message) throw badInput(message);
    throw error;
  }
  let header: Header | undefined;
  let lastLine = 0;
  let lastEmptyLines = 0;
  /** The line a record starts on: the one after the last record and the empty lines skipped since. */
  const startOf = (emptyLines: number): number => lastLine + 1 + Math.max(0, emptyLines - lastEmptyLines);

  // Both callbacks run in file order, before the next record is parsed, so a parse error that
  // follows still knows where the last good row ended (an async iterator drops buffered rows on error).
  const readColumns = (fields: string[]): string[] => {
    header = readHeader(shown, fields, parser.info.lines);
    onHeader?.(header);
    lastLine = parser.info.lines;
    lastEmptyLines = parser.info.empty_lines;
    return header.names;
  };
  const onRecord = (record: Readonly<Record<string, string>>, info: InfoRecord): Row | null => {
    const line = startOf(info.empty_lines);
    lastLine = info.lines;
    lastEmptyLines = info.empty_lines;
    if (!header || Object.values(record).every((value) => value === '')) return null;
    const recipientColumn = header.names[header.recipientIndex];
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(record)) {
      if (value.includes('\uFFFD'))
        throw badInput(`${shown} row ${line}: column "${name}" is not UTF-8 text; save the file as "CSV UTF-8"`);
      if (NOT_TEXT.test(value))
        throw badInput(`${shown} row ${line}: column "${name}" holds control characters, which no message can carry`);
      if (name === recipientColumn) values.to = value;
      else values[name] = value;
    }
    return { line, values };
  };
  const parser = parse<Row, Readonly<Record<string, string>>>({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: false,
    columns: readColumns,
    on_record: onRecord,
  });

  const source = createReadStream(file);
  let first = true;
  source.on('data', (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash?.update(bytes);
    if (first) {
      first = false;
      const problem = notTextFile(shown, bytes);
      if (problem) parser.destroy(problem);
    }
  });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  try {
    for await (const row of parser as AsyncIterable<Row>) yield row;
  } catch (error) {
    if (error instanceof CsvError) {
      const emptyLines = typeof error.empty_lines === 'number' ? error.empty_lines : lastEmptyLines;
      throw badInput(describeParseError(shown, error, startOf(emptyLines), header));
    }
    const message = describeFileError(shown, error);
    if (message) throw badInput(message);
    throw error;
  } finally {
    source.destroy();
  }
  if (!header) throw badInput(`${shown} is empty; it needs a header row naming a "phone" or "to" column, then one row per recipient`);
}

/** Reads the whole file: the header, every row checked, the row count and the SHA-256 of its bytes. */
export async function scanCsv(file: string): Promise<CsvSummary> {
  const hash = createHash('sha256');
  let header: Header | undefined;
  let rows = 0;
  for await (const _row of readRows(file, { hash, onHeader: (read) => (header = read) })) rows += 1;
  if (!header || rows === 0) throw badInput(`${file} has a header row but no recipients`);
  const { names, recipientIndex } = header;
  return {
    path: path.resolve(file),
    rows,
    recipientColumn: names[recipientIndex],
    variables: names.filter((_, index) => index !== recipientIndex),
    sha256: hash.digest('hex'),
  };
}

/** The rows in pages of `pageSize`, numbered from 0: the same pages for the same file, every time. */
export async function* csvPages(file: string, pageSize: number): AsyncGenerator<CsvPage> {
  let page: RecipientRow[] = [];
  let index = 0;
  for await (const row of readRows(file)) {
    page.push(row.values);
    if (page.length === pageSize) {
      yield { page: index, rows: page };
      index += 1;
      page = [];
    }
  }
  if (page.length > 0) yield { page: index, rows: page };
}
