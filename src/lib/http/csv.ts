// CSV for people's spreadsheets, shared by the API (GET /consent/export) and the campaign command.

/**
 * A cell a spreadsheet would run as a formula: one starting with `=`, `+`, `-`, `@`, tab or CR
 * (OWASP, "CSV Injection": https://owasp.org/www-community/attacks/CSV_Injection). A plain number
 * (`+14155550100`, `-5`) is no formula and stays as it is.
 */
const isFormula = (value: string): boolean => /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value);

/**
 * RFC 4180 quoting, only where needed; a formula-like cell gets OWASP's escape: a leading `'`,
 * so the spreadsheet shows the text instead of running it (`=HYPERLINK(…` → `"'=HYPERLINK(…"`).
 */
export function csvField(value: string): string {
  const text = isFormula(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$|^'/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF, as RFC 4180 writes it) of escaped cells. */
export const csvLine = (cells: readonly string[]): string => `${cells.map(csvField).join(',')}\r\n`;
