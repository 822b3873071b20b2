import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DELIVERY_ERRORS } from '../../../src/lib/messaging/delivery-errors';

const sorted = (codes: Iterable<number | string>): number[] => [...codes].map(Number).sort((a, b) => a - b);

// docs/sms.md's table of delivery errors is written by hand from the module's table: this keeps them equal.
describe("docs/sms.md's delivery error table", () => {
  /** The rows of the table in docs/sms.md's `GET /sms/message` section: code → re-sent automatically. */
  function tableRows(): Map<number, string> {
    const page = readFileSync(path.join(__dirname, '../../../docs/sms.md'), 'utf8');
    const start = page.indexOf('## Track: `POST /sms/status`, `GET /sms/message`');
    expect(start).toBeGreaterThanOrEqual(0);
    const end = page.indexOf('\n## ', start + 1);
    const section = page.slice(start, end === -1 ? undefined : end);
    const rows = new Map<number, string>();
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((cell) => cell.trim());
      if (/^\d{5}$/.test(cells[1] ?? '')) rows.set(Number(cells[1]), cells[cells.length - 2]);
    }
    return rows;
  }

  it('lists exactly the codes of the module, with the same re-send answer', () => {
    const rows = tableRows();
    expect(sorted(rows.keys())).toEqual(sorted(Object.keys(DELIVERY_ERRORS)));
    for (const [code, resent] of rows) expect([code, resent]).toEqual([code, DELIVERY_ERRORS[code].transient ? 'yes' : 'no']);
  });
});
