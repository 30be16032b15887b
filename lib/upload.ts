import type { Ctx } from "./app_env.ts";
import { fail } from "./errors.ts";
import { msg } from "../i18n/messages.ts";
import { timingSafeEqual } from "./tokens.ts";
import { limitBody } from "./body_limit.ts";

/** Room for the multipart envelope and the small fields sent along with an upload's file. */
const ENVELOPE_BYTES = 64 * 1024;

function tooLarge(limit: number) {
  return fail.invalid("err.uploadTooLarge", { mb: limit / 1024 / 1024 }, { file: msg("validation.tooLarge") });
}

/**
 * Reads a request body of at most `max` bytes. A declared Content-Length over it is refused before
 * reading; without one, reading stops as soon as the body passes it (never buffering more). Over: 400.
 */
export async function readLimitedBytes(c: Ctx, max: number, limit = max): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(c.req.header("content-length") ?? "0") > max) throw tooLarge(limit);
  limitBody(c, max, () => tooLarge(limit));
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * Reads a multipart/form-data upload whose file may have `limit` bytes, size-limited as
 * `readLimitedBytes`, and checks its `_csrf` field (403). A body that is not a readable multipart form
 * is a 400 with a clear message, never a 500. Returns the fields (the last value of a repeated name).
 */
export async function readUpload(c: Ctx, limit: number): Promise<Record<string, string | File>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw fail.invalid("err.uploadUnreadable", {}, { file: msg("validation.notUpload") });
  }
  const bytes = await readLimitedBytes(c, limit + ENVELOPE_BYTES, limit);
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch {
    throw fail.invalid("err.uploadUnreadable", {}, { file: msg("validation.malformedUpload") });
  }
  const fields: Record<string, string | File> = {};
  for (const [name, value] of form) fields[name] = value;
  const sent = typeof fields._csrf === "string" ? fields._csrf : "";
  if (!sent || !timingSafeEqual(sent, c.get("csrf"))) {
    throw fail.forbidden(msg("err.formExpired"));
  }
  return fields;
}
