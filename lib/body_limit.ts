/**
 * Request body limits that hold whether or not the body declares its length: every request body is
 * counted while it streams in, and reading fails as soon as it passes the limit, so a chunked upload
 * of any size never costs more than the limit in memory. The limit is `appConfig.http.maxBodyBytes`
 * unless the route's reader raises it (uploads) before reading.
 *
 * Hono's own `bodyLimit` trusts a declared Content-Length and otherwise buffers the body up front (up
 * to the limit), before the route could choose its own limit; this one streams, and reads lazily.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Ctx } from "./app_env.ts";
import { type AppError, fail } from "./errors.ts";
import { msg } from "../i18n/messages.ts";
import { appConfig } from "../fresh.config.ts";

/** The error for a body over `limit` bytes: 413 `payload_too_large`. */
export function bodyTooLarge(limit: number): AppError {
  return fail.as("payload_too_large", "err.tooLarge", { limit }, { body: msg("err.tooLargeField", { limit }) });
}

/** One request's limit: raised or lowered by the reader before it reads. */
interface LimitState {
  limit: number;
  error: (limit: number) => Error;
  /** Bytes that went through so far. */
  read: number;
}

const states = new WeakMap<Request, LimitState>();

/**
 * Sets the body limit of this request (and the error to fail with past it) for the reader about to
 * read it. Without the `bodyLimit()` middleware in front, this does nothing.
 */
export function limitBody(c: Ctx, limit: number, error: (limit: number) => Error = bodyTooLarge): void {
  const state = states.get(c.req.raw);
  if (state) Object.assign(state, { limit, error });
}

/** Wraps a body stream so that it fails past the state's limit, reading on demand. */
function limited(source: ReadableStream<Uint8Array>, state: LimitState, declared: number): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!reader) {
        if (declared > state.limit) return controller.error(state.error(state.limit));
        reader = source.getReader();
      }
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        return controller.error(err);
      }
      if (chunk.done) return controller.close();
      state.read += chunk.value.byteLength;
      if (state.read > state.limit) {
        // Stop reading here; the server discards the rest of the upload after answering, and the
        // connection (not cancelled under the response) still carries the 413.
        reader.releaseLock();
        return controller.error(state.error(state.limit));
      }
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader ? reader.cancel(reason) : source.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/** Middleware: counts every request body as it is read and fails the read past the route's limit. */
export function bodyLimit(): MiddlewareHandler<AppEnv> {
  return async function bodyLimit(c, next) {
    const raw = c.req.raw;
    if (raw.body) {
      const state: LimitState = { limit: appConfig.http.maxBodyBytes, error: bodyTooLarge, read: 0 };
      const declared = Number(raw.headers.get("content-length") ?? "0") || 0;
      const wrapped = new Request(raw.url, {
        method: raw.method,
        headers: raw.headers,
        body: limited(raw.body, state, declared),
        signal: raw.signal,
        duplex: "half",
      } as RequestInit);
      states.set(wrapped, state);
      c.req.raw = wrapped;
    }
    await next();
  };
}
