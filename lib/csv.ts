/**
 * # CSV in and out, on csv-parse and csv-stringify
 *
 * A thin adapter: the libraries do RFC 4180 (quotes, doubled quotes, line breaks in fields, the byte
 * order mark); this module keeps what the project adds: every row's line number in the file, a bad file
 * refused with the line it goes wrong on (in words the message catalogue translates), control characters
 * dropped and formula-looking cells made inert on the way out.
 */
import { type CsvError as ParseError, parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { cleanMultilineText } from "../domain/text.ts";
import { fail } from "./errors.ts";

/** The UTF-8 byte order mark: Excel needs it to open a CSV file's Chinese text as UTF-8 rather than GBK. */
export const CSV_BOM = "\uFEFF";

/** One row of a read file: its cells and the 1-based line of the file it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** The reasons a file is not CSV, by csv-parse's error code (translated in `i18n/messages.ts`). */
const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is never closed",
  INVALID_OPENING_QUOTE: "a quote appears inside a field that does not start with one",
  CSV_INVALID_CLOSING_QUOTE: "a closing quote is followed by other characters",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "a closing quote is followed by other characters",
  CSV_MAX_RECORD_SIZE: "a field is too long",
};

/** A parse failure with the 1-based line it goes wrong on; `message` is "line N: reason". */
export class CsvError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = "CsvError";
  }
}

/**
 * Parses CSV text (CRLF, LF or CR line ends, a leading byte order mark ignored, empty lines skipped)
 * into rows of strings, each with the line it starts on. Throws `CsvError` naming the line: for a
 * quoted field never closed, the line the field's row starts on.
 */
export function parseCsv(text: string): CsvRow[] {
  // One kind of line end, so that csv-parse counts lines right in a file that mixes them.
  const normal = text.replace(/\r\n?/g, "\n");
  let last = { line: 0, empty: 0 };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with the parser state after it (csv-parse's types do not say so).
    records = parse(normal, {
      bom: true,
      info: true,
      record_delimiter: "\n",
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 1024 * 1024,
      on_record: (record, context) => {
        last = { line: context.lines, empty: context.empty_lines };
        return record;
      },
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as ParseError & { lines?: number; empty_lines?: number };
    if (typeof e?.code !== "string") throw err;
    const line = e.code === "CSV_QUOTE_NOT_CLOSED"
      ? last.line + 1 + Math.max(0, (e.empty_lines ?? 0) - last.empty)
      : e.lines ?? last.line + 1;
    throw new CsvError(line, REASONS[e.code] ?? "the line cannot be read");
  }
  // csv-parse gives the line a record ends on; it starts as many lines earlier as its cells hold line breaks.
  return records.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
    cells: record,
  }));
}

/** The rows of an uploaded CSV text; a file that is not CSV is a 400 naming the line it goes wrong on. */
export function readCsv(text: string): CsvRow[] {
  try {
    return parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) {
      throw fail.invalid(`This file is not valid CSV: ${err.message}`, { file: err.message });
    }
    throw err;
  }
}

/**
 * A cell safe to hand to a spreadsheet: control characters dropped and a leading = + - @ (or tab/CR)
 * made inert with a quote mark, so that no spreadsheet runs it as a formula (negative numbers stay).
 */
export function inertCell(value: string): string {
  const clean = cleanMultilineText(String(value));
  return /^[=+\-@\t\r]/.test(clean) && !/^-?\d+(\.\d+)?$/.test(clean) ? `'${clean}` : clean;
}

/** Rows to CSV text for a download: a UTF-8 byte order mark, then the rows (cells made inert), LF line ends. */
export function toCsv(rows: string[][]): string {
  return CSV_BOM +
    stringify(rows.map((r) => r.map(inertCell)), { record_delimiter: "\n", eof: true, quoted_match: /\r/ });
}
