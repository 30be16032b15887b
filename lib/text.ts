import { z } from "zod";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app_env.ts";
import { fail, type FieldMessages } from "./errors.ts";
import { invalidFields } from "./validate.ts";
import { type TextProblem, textProblem } from "../domain/text.ts";
import { msg, says } from "../i18n/messages.ts";

/** The catalogue key of each text problem. */
const PROBLEM_KEYS = { control: "validation.controlChars", encoding: "validation.badText" } as const satisfies Record<
  TextProblem,
  string
>;

/** Options of `text()`. */
export interface TextOptions {
  /** Allow tab and line breaks (descriptions, notes). */
  multiline?: boolean;
  /** The message when the value is missing or not a string (`says("validation.x")`). */
  message?: string;
}

/**
 * The one schema for free text that people type: a string, refused with a message naming the
 * field when it holds a control character (line breaks only when `multiline`) or a lone
 * surrogate, and NFC-normalised. Chain `.trim()`, `.min()`, `.max()` as on `z.string()`.
 */
export function text(options: TextOptions | string = {}) {
  const { multiline = false, message } = typeof options === "string" ? { message: options } : options;
  return z.string(message)
    .refine((v) => textProblem(v, multiline) !== "encoding", says(PROBLEM_KEYS.encoding))
    .refine((v) => textProblem(v, multiline) !== "control", says(PROBLEM_KEYS.control))
    .normalize("NFC");
}

/** Escapes `\`, `%` and `_` so that `value` matches itself literally in a LIKE/ILIKE pattern. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching `value` anywhere (escaped; the default LIKE escape character is `\`). */
export function likeContains(value: string): string {
  return `%${escapeLike(value)}%`;
}

/** A LIKE pattern matching values that start with `value`. */
export function likeStartsWith(value: string): string {
  return `${escapeLike(value)}%`;
}

/** A LIKE pattern matching values that end with `value`. */
export function likeEndsWith(value: string): string {
  return `%${escapeLike(value)}`;
}

/**
 * Middleware: refuses any request whose query string carries a NUL character (400 naming the
 * parameter), whatever the route reads, since the database cannot store or compare it; a path
 * with one names no resource (404).
 */
export function queryGuard(): MiddlewareHandler<AppEnv> {
  return async function queryGuard(c, next) {
    const path = c.req.url.split("?")[0];
    if (path.includes("%00") || path.includes("\u0000")) throw fail.notFound();
    if (c.req.url.includes("?")) {
      const fields: FieldMessages = {};
      for (const [key, values] of Object.entries(c.req.queries())) {
        if (key.includes("\u0000") || values.some((v) => v.includes("\u0000"))) {
          fields[key.replaceAll("\u0000", "") || "query"] = msg(PROBLEM_KEYS.control);
        }
      }
      if (Object.keys(fields).length) throw invalidFields(fields);
    }
    await next();
  };
}
