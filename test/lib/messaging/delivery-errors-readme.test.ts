import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DELIVERY_ERRORS } from '../../../src/lib/messaging/delivery-errors';

const sorted = (codes: Iterable<number | string>): number[] => [...codes].map(Number).sort((a, b) => a - b);

// README's table of delivery errors is written by hand from the module's table: this keeps them equal.
describe("README's delivery error table", () => {
  /** The rows of the table in README's `GET /sms/message` section: code → re-sent automatically. */
  function readmeRows(): Map<number, string> {
    const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const start = readme.indexOf('### Track: `POST /sms/status`, `GET /sms/message`');
    expect(start).toBeGreaterThanOrEqual(0);
    const end = readme.indexOf('\n### ', start + 1);
    const section = readme.slice(start, end === -1 ? undefined : end);
    const rows = new Map<number, string>();
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((cell) => cell.trim());
      if (/^\d{5}$/.test(cells[1] ?? '')) rows.set(Number(cells[1]), cells[cells.length - 2]);
    }
    return rows;
  }

  it('lists exactly the codes of the module, with the same re-send answer', () => {
    const rows = readmeRows();
    expect(sorted(rows.keys())).toEqual(sorted(Object.keys(DELIVERY_ERRORS)));
    for (const [code, resent] of rows) expect([code, resent]).toEqual([code, DELIVERY_ERRORS[code].transient ? 'yes' : 'no']);
  });
});
