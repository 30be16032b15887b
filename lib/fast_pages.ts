/**
 * # Kept shop pages answered before the framework
 *
 * An anonymous visitor's request for a shop page that the page cache already keeps whole
 * (`lib/page_cache.ts`) needs nothing the middleware chain computes: no session, no CSRF token, no
 * rendering. This request listener sits in front of Hono's (`getRequestListener`) on the node:http
 * server and answers such a request from the kept bytes, with the very headers the chain would have
 * set (`pageHeaders`, `SECURITY_HEADERS`), the visitor cookie and the visit count. Everything else
 * (a signed-in member, a page not kept, a URL that is not in its canonical form — `?ref=`, tracking
 * parameters, another parameter order) goes down the chain unchanged, which renders and keeps the page
 * so that the next visitor is answered here.
 *
 * A URL is answered here only when it is *exactly* the key a render kept (the cache normalises the
 * query it reads), so nothing the chain would have refused or treated differently can be answered.
 * Requests answered here are counted in `stats` instead of the per-request log line.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { parse as parseCookies } from "hono/utils/cookie";
import { type PageCache, pageHeaders } from "./page_cache.ts";
import { negotiateEncoding, notModified } from "./compress.ts";
import { pickLocale } from "../i18n/messages.ts";
import { clientView, type TrustProxy } from "./proxy.ts";
import { isVisitorId, visitorCookie } from "./visitor.ts";
import { SECURITY_HEADERS } from "./security_headers.ts";

/** What the fast path needs from the running app. */
export interface FastPagesOptions {
  cache: PageCache;
  visits: { visit(visitor: string): void };
  /** The session cookie's name: a request carrying one goes down the chain. */
  sessionCookie: string;
  trustProxy: TrustProxy;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** Answers the request from the cache when it can; returns whether it did. */
export function answerKeptPage(req: IncomingMessage, res: ServerResponse, options: FastPagesOptions): boolean {
  const method = req.method;
  if (method !== "GET" && method !== "HEAD") return false;
  const url = req.url ?? "";
  if (url !== "/" && !url.startsWith("/?") && !url.startsWith("/products/")) return false;
  // Parsed as the chain's `getCookie` parses them (the first of a repeated name).
  const cookies = parseCookies(req.headers.cookie ?? "");
  if (options.sessionCookie in cookies) return false;
  const locale = pickLocale(cookies.lang, req.headers["accept-language"]);
  const entry = options.cache.get(`anon|${locale}|${url}`);
  const doc = entry?.doc;
  if (!doc) return false;
  options.cache.stats.hits++;
  options.cache.stats.fast++;

  const encoding = doc.compressible ? negotiateEncoding(header(req, "accept-encoding")) : "identity";
  const headers: Record<string, string | string[]> = { ...SECURITY_HEADERS, ...pageHeaders(doc, encoding) };
  headers["X-Request-Id"] = header(req, "x-request-id")?.slice(0, 64) || crypto.randomUUID();
  let visitor = cookies.vid;
  if (!visitor || !isVisitorId(visitor)) {
    visitor = crypto.randomUUID();
    const view = clientView({
      header: (name) => header(req, name),
      peer: req.socket.remoteAddress,
      scheme: "http",
    }, options.trustProxy);
    headers["Set-Cookie"] = visitorCookie(visitor, view.scheme === "https");
  }
  options.visits.visit(visitor);

  if (notModified(header(req, "if-none-match"), doc.tag)) {
    delete headers["Content-Type"];
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const chosen = doc.bytes(encoding);
  if (chosen.encoding !== "identity") headers["Content-Encoding"] = chosen.encoding;
  headers["Content-Length"] = String(chosen.body.byteLength);
  res.writeHead(200, headers);
  if (method === "HEAD") res.end();
  else res.end(chosen.body);
  return true;
}

/** A request listener that answers kept anonymous shop pages itself and passes everything else to `next`. */
export function fastShopPages(options: FastPagesOptions, next: RequestListener): RequestListener {
  return function fastShopPages(req: IncomingMessage, res: ServerResponse) {
    if (!answerKeptPage(req, res, options)) next(req, res);
  };
}
