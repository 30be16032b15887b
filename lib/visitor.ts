import { getCookie, setCookie } from "hono/cookie";
import { serialize } from "hono/utils/cookie";
import type { Ctx } from "./app_env.ts";
import { clientIp } from "./http.ts";
import { memberVisitor } from "../services/analytics.ts";

const VISITOR_COOKIE = "vid";
const VISITOR_FORMAT = /^(u:\d+|[\w-]{10,40})$/;
const VISITOR_COOKIE_OPTIONS = { path: "/", httpOnly: true, sameSite: "Lax", maxAge: 365 * 86400 } as const;

/** Whether a `vid` cookie's value is a visitor id this app hands out. */
export function isVisitorId(value: string): boolean {
  return VISITOR_FORMAT.test(value);
}

/** The `Set-Cookie` line of a new visitor id (for answers made outside Hono, `lib/fast_pages.ts`). */
export function visitorCookie(visitor: string, secure: boolean): string {
  return serialize(VISITOR_COOKIE, visitor, { ...VISITOR_COOKIE_OPTIONS, secure });
}

/**
 * Who is visiting, for counting: a signed-in member's key, or the `vid` cookie, which is set (for a
 * year) when the visitor has none. `fingerprint` (address and browser) is given only for a visitor
 * who came without the cookie, whose every request would otherwise look like a new visitor.
 */
export function visitorOf(c: Ctx): { visitor: string; fingerprint?: string } {
  const known = c.get("visitor");
  if (known) return known;
  const user = c.get("user");
  let found: { visitor: string; fingerprint?: string };
  const cookie = getCookie(c, VISITOR_COOKIE);
  if (user) found = { visitor: memberVisitor(String(user.id)) };
  else if (cookie && isVisitorId(cookie)) found = { visitor: cookie };
  else {
    const visitor = crypto.randomUUID();
    setCookie(c, VISITOR_COOKIE, visitor, VISITOR_COOKIE_OPTIONS);
    found = { visitor, fingerprint: `${clientIp(c)}|${c.req.header("user-agent") ?? ""}` };
  }
  c.set("visitor", found);
  return found;
}
