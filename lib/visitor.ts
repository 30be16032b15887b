import { getCookie, setCookie } from "hono/cookie";
import type { Ctx } from "./app_env.ts";
import { clientIp } from "./http.ts";
import { memberVisitor } from "../services/analytics.ts";

const VISITOR_COOKIE = "vid";
const VISITOR_FORMAT = /^(u:\d+|[\w-]{10,40})$/;

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
  else if (cookie && VISITOR_FORMAT.test(cookie)) found = { visitor: cookie };
  else {
    const visitor = crypto.randomUUID();
    setCookie(c, VISITOR_COOKIE, visitor, { path: "/", httpOnly: true, sameSite: "Lax", maxAge: 365 * 86400 });
    found = { visitor, fingerprint: `${clientIp(c)}|${c.req.header("user-agent") ?? ""}` };
  }
  c.set("visitor", found);
  return found;
}
