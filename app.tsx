import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { AppDeps, AppEnv, Ctx } from "./lib/app_env.ts";
import { clientIp, errorBody, originCheck, requestContext, requestLocale, sessionAndLocale } from "./lib/http.ts";
import { AppError, fail } from "./lib/errors.ts";
import { secureCookies } from "./lib/proxy.ts";
import { bodyLimit } from "./lib/body_limit.ts";
import { sandboxGate } from "./lib/sandbox_gate.ts";
import { queryGuard } from "./lib/text.ts";
import { translator } from "./i18n/messages.ts";
import { renderPage } from "./lib/render.tsx";
import { isReferralCode } from "./domain/referral.ts";
import { VisitCounter } from "./services/visits.ts";
import { visitorOf } from "./lib/visitor.ts";
import { compress } from "./lib/compress.ts";
import { pageCache } from "./lib/page_cache.ts";
import { appConfig } from "./fresh.config.ts";
import { ErrorPage } from "./components/ErrorPage.tsx";
import { assets } from "./lib/assets.ts";
import { BASE_HEADERS, CSP } from "./lib/security_headers.ts";
import { loadRoutes, mountRoutes, type RouteTree } from "./lib/fs_router.ts";

function isApi(c: Ctx): boolean {
  return c.req.path.startsWith("/api/") || c.req.path === "/healthz";
}

/** Renders an error as the contract's JSON for the API, or as a helpful page for browsers. */
function respondError(c: Ctx, err: unknown): Response {
  const locale = requestLocale(c);
  const { status, body } = errorBody(err, c.get("requestId") ?? "-", locale);
  if (status >= 500) {
    c.get("deps")?.log.error("unhandled error", {
      id: c.get("requestId"),
      error: String(err),
      stack: (err as Error)?.stack,
    });
  }
  if (isApi(c) || !c.get("t")) return c.json(body, status as 400);
  const t = c.get("t") ?? translator(locale);
  const page = status === 404
    ? { title: t("error.404.title"), body: t("error.404.body") }
    : status === 403
    ? { title: t("error.403.title"), body: err instanceof AppError ? t.msg(err.msg) : t("error.403.body") }
    : status >= 500
    ? { title: t("error.500.title"), body: t("error.500.body", { id: c.get("requestId") }) }
    : { title: err instanceof AppError ? t.msg(err.msg) : t("error.500.title"), body: "" };
  // A page whose query string was refused (a hand-edited list link) offers itself without it.
  const retry = status === 400 && c.req.method === "GET" && new URL(c.req.url).search ? c.req.path : undefined;
  return renderPage(c, <ErrorPage t={t} title={page.title} body={page.body} code={status} retry={retry} />, {
    title: page.title,
    status,
  });
}

let routeTree: Promise<RouteTree> | undefined;

/** The `routes/` tree of this app, loaded once per process (see `lib/fs_router.ts`). */
export function loadAppRoutes(): Promise<RouteTree> {
  return routeTree ??= loadRoutes(new URL("./routes/", import.meta.url));
}

/** Builds the web app (pages, API, assets) from its dependencies and its routes tree. No I/O happens here. */
export function createApp(deps: AppDeps, routes: RouteTree): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const visits = deps.visits ?? new VisitCounter(deps.db, deps.log);
  app.use(requestContext(deps));
  app.use(secureCookies(), bodyLimit(), sandboxGate(deps.settings.paymentSandbox));
  app.use(compress());
  app.use(async (c, next) => {
    await next();
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(BASE_HEADERS)) headers.set(name, value);
    if (headers.get("content-type")?.startsWith("text/html")) {
      headers.set("Content-Security-Policy", CSP);
      // Pages are personal unless they say otherwise (the page cache's anonymous pages revalidate by ETag).
      if (!headers.has("cache-control")) headers.set("Cache-Control", "no-store");
    }
  });
  app.get("/healthz", (c) => c.json({ status: "ok", db: deps.db.kind }));
  app.route("/", assets);
  mountRoutes(app, routes, { asset: true });
  app.use(originCheck());
  app.use(sessionAndLocale());
  app.use(queryGuard());
  app.use(async (c, next) => {
    const ref = c.req.query("ref");
    if (ref && isReferralCode(ref) && c.req.method === "GET") {
      setCookie(c, "ref", ref.toUpperCase(), {
        path: "/",
        sameSite: "Lax",
        httpOnly: true,
        maxAge: appConfig.referral.cookieDays * 86400,
      });
      const { visitor, fingerprint } = visitorOf(c);
      visits.click({
        code: ref.toUpperCase(),
        productId: c.req.path.match(/^\/products\/(\d{1,18})$/)?.[1] ?? null,
        visitor,
        viewerId: c.get("user") ? String(c.get("user")!.id) : undefined,
        fingerprint,
        address: clientIp(c),
      });
    }
    await next();
  });
  app.use(async (c, next) => {
    if (c.req.method === "GET" && (c.req.path === "/" || c.req.path.startsWith("/products/"))) {
      visitorOf(c); // the cookie is set before the page answers (a kept page is answered at once)
      await next();
      if (c.res.status === 200 || c.res.status === 304) {
        const { visitor, fingerprint } = visitorOf(c);
        visits.visit(visitor, new Date(), fingerprint);
      }
    } else await next();
  });
  app.use(pageCache());
  mountRoutes(app, routes);
  app.notFound((c) => respondError(c, fail.notFound()));
  app.onError((err, c) => respondError(c, err));
  return app;
}
