// deno-lint-ignore-file no-control-regex -- matching control characters is this module's job
/**
 * Rules for free text that people type: what is refused at the edge, and how any stored text is
 * made safe for outputs that break on odd characters (PDF, XLSX XML, CSV).
 */

/** Control characters (C0, DEL, C1). Tab, line feed and carriage return are matched too. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;
/** Control characters other than tab, line feed and carriage return. */
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/** Why a piece of free text is refused. */
export type TextProblem = "control" | "encoding";

/**
 * What is wrong with `value` as typed text, or null when it is fine: a lone UTF-16 surrogate
 * ("encoding") or a control character ("control"; tab and line breaks are allowed when
 * `multiline`).
 */
export function textProblem(value: string, multiline = false): TextProblem | null {
  if (!value.isWellFormed()) return "encoding";
  if ((multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(value)) return "control";
  return null;
}

/** Code points that no font draws: unassigned, private use, non-characters. */
const NO_GLYPH = /[\p{Cn}\p{Co}]/gu;
/** Invisible format characters (bidi overrides, BOM, ...) except the joiners emoji and scripts need. */
const FORMAT = /(?![\u200C\u200D])\p{Cf}/gu;
const ALL_CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * Any stored text made safe for documents and exports: lone surrogates become U+FFFD, control
 * characters are dropped (line breaks and tabs become spaces), and characters without a glyph
 * become "?"; invisible format characters are dropped. NFC-normalised. Use it on every string written into a PDF, XLSX or CSV.
 */
export function cleanText(value: string): string {
  return value
    .toWellFormed()
    .replace(/[\t\n\r]/g, " ")
    .replace(ALL_CONTROL, "")
    .replace(FORMAT, "")
    .replace(NO_GLYPH, "?")
    .normalize("NFC");
}

/** Like `cleanText`, but keeps tabs and line breaks (for CSV cells and multi-line XLSX cells). */
export function cleanMultilineText(value: string): string {
  return value
    .toWellFormed()
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, "")
    .replace(FORMAT, "")
    .replace(NO_GLYPH, "?")
    .normalize("NFC");
}
