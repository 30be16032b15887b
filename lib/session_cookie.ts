import { deleteCookie, setCookie } from "hono/cookie";
import type { Ctx } from "./app_env.ts";
import { appConfig } from "../fresh.config.ts";
import { endSession, startSession } from "../services/accounts.ts";
import type { UserRow } from "../db/users_repo.ts";
import { mergeCart } from "../services/cart.ts";
import { takeCookieCart } from "./cart_cookie.ts";
import { requestView } from "./proxy.ts";

function secure(c: Ctx): boolean {
  return requestView(c).scheme === "https";
}

/** Signs a member in: ends any current session and issues a new session id (rotation). */
export async function signIn(c: Ctx, user: UserRow): Promise<void> {
  const { db, sessionSockets } = c.get("deps");
  await endSession(db, c.get("sessionToken"), sessionSockets);
  const session = await startSession(db, String(user.id));
  setCookie(c, appConfig.session.cookieName, session.token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    path: "/",
    expires: session.expiresAt,
  });
  c.set("user", user);
  await mergeCart(db, String(user.id), takeCookieCart(c));
}

/** Signs the member out: the session is deleted server-side, its sockets closed and the cookie cleared. */
export async function signOut(c: Ctx): Promise<void> {
  const { db, sessionSockets } = c.get("deps");
  await endSession(db, c.get("sessionToken"), sessionSockets);
  deleteCookie(c, appConfig.session.cookieName, { path: "/" });
  c.set("user", undefined);
  c.set("sessionToken", undefined);
}
