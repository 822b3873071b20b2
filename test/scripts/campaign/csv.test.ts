import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { csvPages, scanCsv } from '../../../scripts/campaign/csv';
import { CliError, EXIT } from '../../../scripts/campaign/errors';

const dir = mkdtempSync(path.join(os.tmpdir(), 'campaign-csv-'));
const file = (name: string, content: string | Buffer): string => {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
};

/** The message of the bad-input error a scan throws (exit code 2), or a failure if it does not throw one. */
async function badInput(target: string): Promise<string> {
  const error: unknown = await scanCsv(target).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof CliError)) throw new Error(`expected a CliError, got ${String(error)}`);
  expect(error.exitCode).toBe(EXIT.badInput);
  return error.message.replace(`${dir}${path.sep}`, '');
}

async function allPages(target: string, size: number): Promise<unknown[]> {
  const pages: unknown[] = [];
  for await (const page of csvPages(target, size)) pages.push(page);
  return pages;
}

describe('the recipients CSV', () => {
  it('reads a header row, the recipient column as `to`, the others as variables, quoted commas and a BOM', async () => {
    const target = file(
      'good.csv',
      '\uFEFFphone,name,city\n+14155550100,"Smith, Jane","San Francisco, CA"\n\n+14155550101,"Say ""hi""",Oakland\n,,\n',
    );
    const summary = await scanCsv(target);
    expect(summary).toMatchObject({ path: target, rows: 2, recipientColumn: 'phone', variables: ['name', 'city'] });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await allPages(target, 500)).toEqual([
      {
        page: 0,
        rows: [
          { to: '+14155550100', name: 'Smith, Jane', city: 'San Francisco, CA' },
          { to: '+14155550101', name: 'Say "hi"', city: 'Oakland' },
        ],
      },
    ]);
  });

  it('accepts `to` in any case as the recipient column and cuts pages of the given size, numbered from 0', async () => {
    const target = file('to.csv', `TO,code\n${Array.from({ length: 5 }, (_, i) => `+1415555010${i},c${i}`).join('\r\n')}\r\n`);
    expect(await scanCsv(target)).toMatchObject({ rows: 5, recipientColumn: 'TO', variables: ['code'] });
    const pages = (await allPages(target, 2)) as Array<{ page: number; rows: unknown[] }>;
    expect(pages.map(({ page, rows }) => [page, rows.length])).toEqual([
      [0, 2],
      [1, 2],
      [2, 1],
    ]);
    expect(pages[2].rows[0]).toEqual({ to: '+14155550104', code: 'c4' });
  });

  it('the same bytes give the same SHA-256; one changed byte another', async () => {
    const a = await scanCsv(file('a.csv', 'phone\n+14155550100\n'));
    const b = await scanCsv(file('b.csv', 'phone\n+14155550100\n'));
    const c = await scanCsv(file('c.csv', 'phone\n+14155550101\n'));
    expect(a.sha256).toBe(b.sha256);
    expect(c.sha256).not.toBe(a.sha256);
  });

  it('refuses a file without a recipient column, naming the columns it has', async () => {
    expect(await badInput(file('nocol.csv', 'name,mobile\nAnn,+14155550100\n'))).toBe(
      'nocol.csv row 1: no recipient column; the header must name a "phone" or "to" column (it has "name", "mobile")',
    );
  });

  it('refuses an empty file, a header without rows, a missing file and a directory', async () => {
    expect(await badInput(file('empty.csv', ''))).toMatch(/^empty\.csv is empty; it needs a header row/);
    expect(await badInput(file('blank.csv', '\n\n'))).toMatch(/^blank\.csv is empty/);
    expect(await badInput(file('header.csv', 'phone,name\n'))).toBe('header.csv has a header row but no recipients');
    expect(await badInput(path.join(dir, 'missing.csv'))).toBe('missing.csv: no such file');
    expect(await badInput(dir)).toMatch(/is a directory, not a CSV file$/);
  });

  it('names the row of a malformed record (the header is row 1, like a spreadsheet)', async () => {
    expect(await badInput(file('fields.csv', 'phone,name\n+14155550100,Ann\n\n+14155550101,Bob,extra\n'))).toBe(
      'fields.csv row 4: 3 values, but the header has 2 (phone, name); quote values that contain commas',
    );
    expect(await badInput(file('unclosed.csv', 'phone,name\n+14155550100,Ann\n+14155550101,"Bob\n+14155550102,Cy\n'))).toMatch(
      /^unclosed\.csv row 3: a quoted value that opens in this row or below is never closed/,
    );
    expect(await badInput(file('quote.csv', 'phone,name\n+14155550100,"Ann"x\n'))).toMatch(/^quote\.csv row 2: text after a closing quote/);
    // A quoted value over two lines: the next row starts on line 4.
    expect(await badInput(file('multi.csv', 'phone,note\n+14155550100,"two\nlines"\n+14155550101\n'))).toMatch(
      /^multi\.csv row 4: 1 values/,
    );
  });

  it('refuses what the service could not carry: duplicate or unnamed columns, two recipient columns, non-UTF-8 text, control characters, a spreadsheet', async () => {
    expect(await badInput(file('dup.csv', 'phone,name,name\n+14155550100,a,b\n'))).toBe('dup.csv row 1: column "name" appears twice');
    expect(await badInput(file('unnamed.csv', 'phone,,city\n+14155550100,a,b\n'))).toMatch(/^unnamed\.csv row 1: column 2 has no name/);
    expect(await badInput(file('both.csv', 'phone,to\n+14155550100,+14155550101\n'))).toBe(
      'both.csv row 1: both "phone", "to" columns; keep one recipient column',
    );
    expect(await badInput(file('latin1.csv', Buffer.from('phone,name\n+14155550100,Jos\xe9\n', 'latin1')))).toBe(
      'latin1.csv row 2: column "name" is not UTF-8 text; save the file as "CSV UTF-8"',
    );
    expect(await badInput(file('control.csv', 'phone,name\n+14155550100,a\u0007b\n'))).toMatch(
      /^control\.csv row 2: column "name" holds control characters/,
    );
    expect(await badInput(file('sheet.csv', Buffer.from('PK\u0003\u0004 rest of a zip', 'latin1')))).toMatch(
      /is a spreadsheet \(xlsx\), not CSV/,
    );
    expect(await badInput(file('utf16.csv', Buffer.from('\uFEFFphone\n+1\n', 'utf16le')))).toMatch(/is not UTF-8 text/);
  });
});
