import type { Ctx } from "./app_env.ts";
import { AppError, fail } from "./errors.ts";
import { timingSafeEqual } from "./tokens.ts";
import { limitBody } from "./body_limit.ts";

/** Room for the multipart envelope and the small fields sent along with an upload's file. */
const ENVELOPE_BYTES = 64 * 1024;

/** The message of a bad upload body (also translated in `i18n/messages.ts`). */
const UNREADABLE = "The upload could not be read; choose the file and send it again";

function tooLarge(limit: number) {
  return fail.invalid(`The file is too large (limit ${limit / 1024 / 1024} MB)`, { file: "Too large" });
}

/**
 * Reads a request body of at most `max` bytes (a raw file sent as the body, not a form). A declared Content-Length over it is refused before
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

/** Most fields (besides the file) and files an upload form may send; past them the upload is a 413. */
const MAX_FIELDS = 20;
const MAX_FILES = 1;

function tooManyParts() {
  return new AppError("payload_too_large", "The upload has too many fields or files", {
    file: `At most ${MAX_FIELDS} fields and ${MAX_FILES} file`,
  });
}

/**
 * Reads a multipart/form-data upload with busboy (loaded on first use), streaming: the file may have
 * `limit` bytes (over it: 400, reading stops there), the form at most a few small fields and one file
 * (over: 413), and the whole body is held to the limit as in `readLimitedBytes`. A body that is not a
 * readable multipart form is a 400 with a clear message, never a 500. Checks the `_csrf` field (403).
 * Returns the fields (the last value of a repeated name), the file as a `File`.
 */
export async function readUpload(c: Ctx, limit: number): Promise<Record<string, string | File>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) throw fail.invalid(UNREADABLE, { file: "Not a file upload" });
  const max = limit + ENVELOPE_BYTES;
  if (Number(c.req.header("content-length") ?? "0") > max) throw tooLarge(limit);
  limitBody(c, max, () => tooLarge(limit));
  const busboy = (await import("busboy")).default;
  let parser: ReturnType<typeof busboy>;
  try {
    parser = busboy({
      headers: { "content-type": type },
      defParamCharset: "utf8",
      limits: {
        fileSize: limit,
        files: MAX_FILES,
        fields: MAX_FIELDS,
        parts: MAX_FIELDS + MAX_FILES,
        fieldSize: ENVELOPE_BYTES,
      },
    });
  } catch {
    throw fail.invalid(UNREADABLE, { file: "Malformed upload" });
  }
  const fields: Record<string, string | File> = {};
  let problem: Error | undefined;
  parser.on("field", (name, value, info) => {
    if (info.nameTruncated || info.valueTruncated) problem ??= tooManyParts();
    else fields[name] = value;
  });
  parser.on("file", (name, stream, info) => {
    const chunks: Uint8Array[] = [];
    stream.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    stream.on("limit", () => problem ??= tooLarge(limit));
    // A part cut short (or the parser destroyed past a limit) errors its stream: never left unhandled.
    stream.on("error", () => problem ??= fail.invalid(UNREADABLE, { file: "Malformed upload" }));
    stream.on("end", () => {
      if (!stream.truncated) {
        fields[name] = new File(chunks as BlobPart[], info.filename ?? "", { type: info.mimeType });
      }
    });
  });
  for (const event of ["partsLimit", "filesLimit", "fieldsLimit"] as const) {
    parser.on(event, () => problem ??= tooManyParts());
  }
  const finished = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", reject);
  });
  finished.catch(() => {}); // Awaited below unless a limit stops reading first.
  const reader = c.req.raw.body?.getReader();
  try {
    for (;;) {
      const chunk = reader ? await reader.read() : { done: true as const };
      if (chunk.done) break;
      parser.write(chunk.value);
      if (problem) break;
    }
    if (!problem) {
      parser.end();
      await finished;
    }
  } catch (err) {
    // The body limit's own error (413/400) or a body busboy cannot read (400).
    problem = err instanceof AppError ? err : problem ?? fail.invalid(UNREADABLE, { file: "Malformed upload" });
  }
  if (problem) {
    parser.destroy();
    await reader?.cancel().catch(() => {});
    throw problem;
  }
  const sent = typeof fields._csrf === "string" ? fields._csrf : "";
  if (!sent || !timingSafeEqual(sent, c.get("csrf"))) {
    throw fail.forbidden("The form expired; reload the page and try again");
  }
  return fields;
}
