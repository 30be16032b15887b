import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { z, ZodType } from "zod";
import type { AppDeps, AppEnv, Ctx } from "./app_env.ts";
import { AppError, type ErrorBody, fail } from "./errors.ts";
import { parseInput } from "./validate.ts";
import { isSameOrigin } from "./origin.ts";
import { requestView } from "./proxy.ts";
import { bodyTooLarge, limitBody } from "./body_limit.ts";
import { randomToken, timingSafeEqual } from "./tokens.ts";
import { appConfig, type Locale } from "../fresh.config.ts";
import { msg, pickLocale, translator } from "../i18n/messages.ts";
import { sessionUser } from "../services/accounts.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const CSRF_COOKIE = "csrf";

/** Per-request setup: request id, structured access log, dependencies. */
export function requestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    const started = performance.now();
    const requestId = c.req.header("x-request-id")?.slice(0, 64) || crypto.randomUUID();
    c.set("requestId", requestId);
    c.set("deps", deps);
    await next();
    // On the response's own headers: `c.header` after the response exists would copy the whole response.
    c.res.headers.set("X-Request-Id", requestId);
    deps.log.info("request", {
      id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      user: c.get("user")?.id,
    });
  };
}

/** Refuses state-changing requests whose Origin names another site (403). */
export function originCheck(): MiddlewareHandler<AppEnv> {
  return async function originCheck(c, next) {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("origin");
      if (origin && !isSameOrigin(origin, requestView(c))) {
        throw fail.forbidden(msg("err.crossOrigin"));
      }
    }
    await next();
  };
}

/** Loads the session's member, the locale and the CSRF token for forms. */
export function sessionAndLocale(): MiddlewareHandler<AppEnv> {
  return async function sessionAndLocale(c, next) {
    const token = getCookie(c, appConfig.session.cookieName);
    const user = await sessionUser(c.get("deps").db, token);
    c.set("user", user);
    c.set("sessionToken", user ? token : undefined);
    const locale = pickLocale(getCookie(c, "lang"), c.req.header("accept-language"));
    c.set("locale", locale);
    c.set("t", translator(locale));
    let csrf = getCookie(c, CSRF_COOKIE);
    if (!csrf || csrf.length > 64) {
      csrf = randomToken(24);
      setCookie(c, CSRF_COOKIE, csrf, { httpOnly: true, sameSite: "Lax", path: "/" });
    }
    c.set("csrf", csrf);
    await next();
  };
}

/**
 * Throws 403 unless the form's `_csrf` field matches the CSRF cookie (double submit). With
 * `visitorSameOrigin`, a form sent without a token by a visitor who is not signed in passes when the
 * browser proves it came from this site (`Sec-Fetch-Site: same-origin`, or an `Origin` of this host):
 * the shop's kept product pages are the same for every visitor and cannot carry a visitor's token.
 */
export function checkCsrf(c: Ctx, form: Record<string, string>, options: { visitorSameOrigin?: boolean } = {}): void {
  const sent = form._csrf ?? "";
  if (!sent && options.visitorSameOrigin && !c.get("user") && sentFromThisSite(c)) return;
  if (!sent || !timingSafeEqual(sent, c.get("csrf"))) {
    throw fail.forbidden(msg("err.formExpired"));
  }
}

/** Whether the browser says the request came from a page of this site. */
function sentFromThisSite(c: Ctx): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = c.req.header("origin");
  return !!origin && origin !== "null" && isSameOrigin(origin, requestView(c));
}

/**
 * Reads the body as text, at most `limit` bytes: the `bodyLimit()` middleware stops the stream past it
 * (413) whether or not a length was declared, so no more than the limit is ever held.
 */
export async function readBodyText(c: Ctx, limit = appConfig.http.maxBodyBytes): Promise<string> {
  limitBody(c, limit);
  if (Number(c.req.header("content-length") ?? "0") > limit) throw bodyTooLarge(limit);
  const buf = await c.req.arrayBuffer();
  if (buf.byteLength > limit) throw bodyTooLarge(limit);
  return new TextDecoder().decode(buf);
}

/** Reads a JSON body (size-limited) and validates it; bad JSON or fields give 400. */
export async function readJson<S extends ZodType>(c: Ctx, schema: S): Promise<z.infer<S>> {
  const text = await readBodyText(c);
  let body: unknown;
  try {
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw fail.invalid("err.badJson", {}, { body: msg("validation.malformedJson") });
  }
  return parseInput(schema, body);
}

/** Reads a urlencoded or multipart form (size-limited) into a plain map of strings. */
export async function readForm(c: Ctx): Promise<Record<string, string>> {
  const text = await readBodyText(c);
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

/** Validates a query string. */
export function readQuery<S extends ZodType>(c: Ctx, schema: S): z.infer<S> {
  return parseInput(schema, c.req.query());
}

/** The signed-in member, or 401. */
export function requireUser(c: Ctx) {
  const user = c.get("user");
  if (!user) throw fail.unauthenticated();
  return user;
}

/** The signed-in manager, or 401/403. */
export function requireManager(c: Ctx) {
  const user = requireUser(c);
  if (user.role !== "manager") throw fail.forbidden(msg("err.managersOnly"));
  return user;
}

/** Middleware: every route below it requires the manager role (401/403 otherwise). */
export function managerOnly(): MiddlewareHandler<AppEnv> {
  return async function managerOnly(c, next) {
    requireManager(c);
    await next();
  };
}

/** The client's IP address (behind trusted proxies, the nearest untrusted X-Forwarded-For hop). */
export function clientIp(c: Ctx): string {
  return requestView(c).ip;
}

/** The locale of a request: the `lang` cookie, then Accept-Language, then zh-CN. */
export function requestLocale(c: Ctx): Locale {
  return c.get("locale") ?? pickLocale(getCookie(c, "lang"), c.req.header("accept-language"));
}

/**
 * Maps any thrown value to the contract's JSON error (never a stack trace), its message and field messages
 * rendered in `locale`.
 */
export function errorBody(err: unknown, requestId: string, locale: Locale): { status: number; body: ErrorBody } {
  const t = translator(locale);
  if (err instanceof AppError) return { status: err.status, body: err.toJSON(t) };
  return { status: 500, body: { error: { code: "internal", message: t("err.internal", { id: requestId }) } } };
}

/** A same-site path to redirect to, or "/" for anything that could leave the site. */
export function safeRedirectPath(value: string | undefined | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return "/";
  try {
    const url = new URL(value, "http://same.invalid");
    return url.origin === "http://same.invalid" ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
