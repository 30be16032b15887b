import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Ctx } from "./app_env.ts";
import { appConfig } from "../fresh.config.ts";
import { endSession, type LoginSource, startSession } from "../services/accounts.ts";
import { rememberDevice } from "../services/login_throttle.ts";
import { clientIp } from "./http.ts";
import { randomToken, sha256Hex } from "./tokens.ts";
import type { UserRow } from "../db/users_repo.ts";
import { mergeCart } from "../services/cart.ts";
import { takeCookieCart } from "./cart_cookie.ts";
import { requestView } from "./proxy.ts";

function secure(c: Ctx): boolean {
  return requestView(c).scheme === "https";
}

const DEVICE_COOKIE = "did";

/** This browser's device token (the `did` cookie), when it has a well-formed one. */
function deviceToken(c: Ctx): string | undefined {
  const value = getCookie(c, DEVICE_COOKIE);
  return value && /^[\w-]{20,64}$/.test(value) ? value : undefined;
}

/** Where a login attempt comes from: the client's address and its device cookie. */
export function loginSource(c: Ctx): LoginSource {
  return { ip: clientIp(c), device: deviceToken(c) };
}

/**
 * Signs a member in: ends any current session and issues a new session id (rotation), and remembers
 * this device for the account (the `did` cookie, whose hash is stored), so that later sign-ins from it
 * are not slowed down by someone guessing the password elsewhere.
 */
export async function signIn(c: Ctx, user: UserRow): Promise<void> {
  const { db, sessionSockets } = c.get("deps");
  await endSession(db, c.get("sessionToken"), sessionSockets);
  const session = await startSession(db, String(user.id));
  const device = deviceToken(c) ?? randomToken();
  await rememberDevice(db, String(user.id), await sha256Hex(device));
  setCookie(c, DEVICE_COOKIE, device, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    path: "/",
    maxAge: appConfig.login.deviceDays * 86_400,
  });
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
