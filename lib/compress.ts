import type { MiddlewareHandler } from "hono";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { AppEnv } from "./app_env.ts";
import { appConfig } from "../fresh.config.ts";

/** A content coding this server sends. */
export type Encoding = "br" | "gzip" | "identity";

const COMPRESSIBLE = /^(text\/(html|css|javascript|plain|csv)|application\/(json|javascript)|image\/svg\+xml)\b/;

/** Whether a media type is worth compressing (HTML, JSON, JS, CSS, text, SVG). */
export function isCompressible(contentType: string | null | undefined): boolean {
  return !!contentType && COMPRESSIBLE.test(contentType);
}

/**
 * The best coding the client accepts, from an `Accept-Encoding` header: brotli before gzip, and
 * identity when neither is acceptable (`q=0` refuses a coding; `*` stands for any not named).
 */
export function negotiateEncoding(header: string | null | undefined): Encoding {
  if (!header) return "identity";
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const weight = (coding: string) => q.get(coding) ?? q.get("*") ?? 0;
  const br = weight("br");
  const gzip = Math.max(weight("gzip"), q.get("x-gzip") ?? 0);
  if (br > 0 && br >= gzip) return "br";
  if (gzip > 0) return "gzip";
  return "identity";
}

/** Compresses bytes with a coding: brotli at `quality` (0-11, default 5: fast and small), gzip at level 6. */
export function compressBytes(body: Uint8Array, encoding: Exclude<Encoding, "identity">, quality = 5): Uint8Array {
  if (encoding === "br") {
    return new Uint8Array(brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }));
  }
  return new Uint8Array(gzipSync(body, { level: 6 }));
}

/**
 * A body kept with its compressed forms, each made once on first demand and then reused: static files,
 * island scripts and cached pages are never compressed twice.
 */
export class EncodedBody {
  #variants = new Map<Encoding, Uint8Array>();
  #quality: number;
  /** Whether compression pays off for this body at all (a compressible type of at least `minBytes`). */
  readonly compressible: boolean;

  /**
   * `tag` is the strong validator of the content (a hash of the identity bytes, without quotes);
   * `quality` the brotli quality; `compress: false` for types that are compressed already (PNG).
   */
  constructor(
    readonly identity: Uint8Array,
    readonly tag: string,
    options: { quality?: number; compress?: boolean } = {},
  ) {
    this.#quality = options.quality ?? 5;
    this.compressible = options.compress !== false && identity.byteLength >= appConfig.compression.minBytes;
    this.#variants.set("identity", identity);
  }

  /** The bytes in a coding (identity when the body is too small to compress). */
  bytes(encoding: Encoding): { body: Uint8Array; encoding: Encoding } {
    if (encoding === "identity" || !this.compressible) return { body: this.identity, encoding: "identity" };
    let body = this.#variants.get(encoding);
    if (!body) {
      body = compressBytes(this.identity, encoding, this.#quality);
      this.#variants.set(encoding, body);
    }
    return { body, encoding };
  }

  /** The entity tag of one coding of this body (each coding is its own representation). */
  etag(encoding: Encoding): string {
    return encoding === "identity" || !this.compressible ? `"${this.tag}"` : `"${this.tag}-${encoding}"`;
  }
}

/**
 * Whether an `If-None-Match` header matches a body's tag (weak comparison, any coding of it): then the
 * client's copy is current and a 304 is the answer.
 */
export function notModified(ifNoneMatch: string | null | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  for (const raw of ifNoneMatch.split(",")) {
    const t = raw.trim();
    if (t === "*") return true;
    const opaque = t.replace(/^W\//, "").replace(/^"|"$/g, "");
    if (opaque === tag || opaque === `${tag}-br` || opaque === `${tag}-gzip`) return true;
  }
  return false;
}

/**
 * Answers a GET or HEAD with a kept body: 304 when the client's tag matches, otherwise the best
 * coding the client accepts, with `ETag` and `Vary: Accept-Encoding`.
 */
export function encodedResponse(
  req: Request,
  body: EncodedBody,
  headers: Record<string, string>,
  status = 200,
): Response {
  const encoding = body.compressible ? negotiateEncoding(req.headers.get("accept-encoding")) : "identity";
  const out = new Headers(headers);
  out.set("ETag", body.etag(encoding));
  out.set("Vary", "Accept-Encoding");
  if (status === 200 && notModified(req.headers.get("if-none-match"), body.tag)) {
    out.delete("Content-Type");
    return new Response(null, { status: 304, headers: out });
  }
  const chosen = body.bytes(encoding);
  if (chosen.encoding !== "identity") out.set("Content-Encoding", chosen.encoding);
  return new Response(req.method === "HEAD" ? null : chosen.body as Uint8Array<ArrayBuffer>, { status, headers: out });
}

/**
 * Middleware: compresses other answers (rendered pages, JSON) when the client accepts br or gzip, the type is
 * compressible and the body is at least `minBytes`. Answers that already carry a coding are left alone.
 */
export function compress(): MiddlewareHandler<AppEnv> {
  return async function compress(c, next) {
    await next();
    const res = c.res;
    // Headers and status only: reading `body` of a response that is not compressed would copy it for nothing.
    if (c.req.method === "HEAD" || res.status === 204 || res.status === 304) return;
    if (res.headers.has("content-encoding") || !isCompressible(res.headers.get("content-type"))) return;
    if (res.headers.get("cache-control")?.includes("no-transform")) return;
    const encoding = negotiateEncoding(c.req.header("accept-encoding"));
    if (/accept-encoding/i.test(res.headers.get("vary") ?? "")) return; // negotiated already
    const vary = res.headers.get("vary");
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (encoding === "identity" || declared < appConfig.compression.minBytes) {
      if (encoding === "identity") res.headers.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
      return;
    }
    const raw = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    headers.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    headers.delete("Content-Length");
    let body: Uint8Array = raw;
    if (raw.byteLength >= appConfig.compression.minBytes) {
      body = compressBytes(raw, encoding, 4);
      headers.set("Content-Encoding", encoding);
    }
    c.res = undefined;
    c.res = new Response(body as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers });
  };
}
