import { setCookie } from "hono/cookie";
import type { Handlers, RouteConfig } from "../../lib/fs_router.ts";
import { fail } from "../../lib/errors.ts";
import { safeRedirectPath } from "../../lib/http.ts";

/** The language switch needs no session: it is served with the assets. */
export const config: RouteConfig = { asset: true };

/** `/lang/:locale?back=`: remembers the visitor's language and goes back. */
export const handler: Handlers = {
  GET(c) {
    const locale = c.req.param("locale")!;
    if (locale !== "en" && locale !== "zh-CN") throw fail.notFound("language");
    setCookie(c, "lang", locale, { path: "/", sameSite: "Lax", maxAge: 365 * 86400 });
    return c.redirect(safeRedirectPath(c.req.query("back")), 303);
  },
};
