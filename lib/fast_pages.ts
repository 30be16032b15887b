/**
 * # Kept shop pages answered before the framework
 *
 * An anonymous visitor's request for a shop page that the page cache already keeps whole
 * (`lib/page_cache.ts`) needs nothing the middleware chain computes: no session, no CSRF token, no
 * rendering. The server's front handler (`lib/front.ts`, on `Deno.serve`) asks `answerKeptPage` first
 * and answers such a request from the kept bytes, with the very headers the chain would have set
 * (`pageHeaders`, `SECURITY_HEADERS`), the visitor cookie and the visit count. Everything else (a
 * signed-in member, a page not kept, a URL that is not in its canonical form — `?ref=`, tracking
 * parameters, another parameter order) goes down the chain unchanged, which renders and keeps the page
 * so that the next visitor is answered here.
 *
 * A URL is answered here only when it is *exactly* the key a render kept (the cache normalises the
 * query it reads), so nothing the chain would have refused or treated differently can be answered.
 * Requests answered here are counted in `stats` instead of the per-request log line.
 */
import { parse as parseCookies } from "hono/utils/cookie";
import { type PageCache, pageHeaders } from "./page_cache.ts";
import { type EncodedBody, type Encoding, negotiateEncoding, notModified } from "./compress.ts";
import { pickLocale } from "../i18n/messages.ts";
import { clientView, type TrustProxy } from "./proxy.ts";
import { isVisitorId, visitorCookie } from "./visitor.ts";
import { SECURITY_HEADERS } from "./security_headers.ts";

/** What the fast path needs from the running app. */
export interface FastPagesOptions {
  cache: PageCache;
  visits: { visit(visitor: string, now?: Date, fingerprint?: string): void };
  /** The session cookie's name: a request carrying one goes down the chain. */
  sessionCookie: string;
  trustProxy: TrustProxy;
}

/** The path and query of a request URL (`http://host:port/path?q` → `/path?q`). */
export function pathAndQuery(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start < 0 ? "/" : url.slice(start);
}

/**
 * Answers a GET or HEAD from the cache when it can (`peer`: the connected client's address, for the
 * visitor cookie's `Secure` behind a trusted TLS proxy); `null` sends it down the chain.
 */
export function answerKeptPage(req: Request, peer: string | undefined, options: FastPagesOptions): Response | null {
  const method = req.method;
  if (method !== "GET" && method !== "HEAD") return null;
  const url = pathAndQuery(req.url);
  if (url !== "/" && !url.startsWith("/?") && !url.startsWith("/products/")) return null;
  // Parsed as the chain's `getCookie` parses them (the first of a repeated name).
  const cookieHeader = req.headers.get("cookie");
  const cookies = cookieHeader ? parseCookies(cookieHeader) : {};
  if (options.sessionCookie in cookies) return null;
  const locale = pickLocale(cookies.lang, req.headers.get("accept-language") ?? undefined);
  const doc = options.cache.get(`anon|${locale}|${url}`)?.doc;
  if (!doc) return null;
  options.cache.stats.hits++;
  options.cache.stats.fast++;

  const encoding = doc.compressible ? negotiateEncoding(req.headers.get("accept-encoding")) : "identity";
  const kind = notModified(req.headers.get("if-none-match"), doc.tag) ? "304" : method;
  // A copy of the kept answer: its bytes are shared, not copied, and its fixed headers are checked once.
  const res = keptAnswer(doc, encoding, kind).clone();
  res.headers.set("X-Request-Id", req.headers.get("x-request-id")?.slice(0, 64) || crypto.randomUUID());
  const visitor = cookies.vid;
  if (visitor && isVisitorId(visitor)) options.visits.visit(visitor);
  else {
    const fresh = crypto.randomUUID();
    const view = clientView({ header: (name) => req.headers.get(name), peer, scheme: "http" }, options.trustProxy);
    res.headers.set("Set-Cookie", visitorCookie(fresh, view.scheme === "https"));
    options.visits.visit(fresh, new Date(), `${view.ip}|${req.headers.get("user-agent") ?? ""}`);
  }
  return res;
}

/** The kept answers of each page, by kind (GET, HEAD, 304) and coding; dropped with the page. */
const answers = new WeakMap<EncodedBody, Map<string, Response>>();

/** The answer a kept page gets, with the very headers the chain would have set, made once. */
function keptAnswer(doc: EncodedBody, encoding: Encoding, kind: "GET" | "HEAD" | "304"): Response {
  let kept = answers.get(doc);
  if (!kept) answers.set(doc, kept = new Map());
  const key = `${kind}|${encoding}`;
  let answer = kept.get(key);
  if (!answer) {
    const headers: Record<string, string> = { ...SECURITY_HEADERS, ...pageHeaders(doc, encoding) };
    if (kind === "304") {
      delete headers["Content-Type"];
      answer = new Response(null, { status: 304, headers });
    } else {
      const chosen = doc.bytes(encoding);
      if (chosen.encoding !== "identity") headers["Content-Encoding"] = chosen.encoding;
      headers["Content-Length"] = String(chosen.body.byteLength);
      const body = kind === "HEAD" ? null : chosen.body as Uint8Array<ArrayBuffer>;
      answer = new Response(body, { status: 200, headers });
    }
    kept.set(key, answer);
  }
  return answer;
}
