import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Ctx } from "./app_env.ts";
import {
  cartCookieValue,
  type CartLine,
  memberCart,
  parseCartCookie,
  setLine,
  setMemberCartLine,
} from "../services/cart.ts";

const CART_COOKIE = "cart";

/** The current visitor's cart: stored for members, in a cookie for visitors. */
export async function currentCart(c: Ctx): Promise<CartLine[]> {
  const user = c.get("user");
  if (user) return await memberCart(c.get("deps").db, String(user.id));
  return parseCartCookie(getCookie(c, CART_COOKIE));
}

/** Sets a SKU's quantity in the current visitor's cart (0 removes it). */
export async function setCartLine(
  c: Ctx,
  line: { productId: string; skuId: string },
  quantity: number,
): Promise<void> {
  const user = c.get("user");
  if (user) return await setMemberCartLine(c.get("deps").db, String(user.id), line, quantity);
  const lines = setLine(parseCartCookie(getCookie(c, CART_COOKIE)), line, quantity);
  setCookie(c, CART_COOKIE, cartCookieValue(lines), { path: "/", httpOnly: true, sameSite: "Lax", maxAge: 30 * 86400 });
}

/** Takes the visitor's cookie cart away (to merge it into the member's cart at login). */
export function takeCookieCart(c: Ctx): CartLine[] {
  const lines = parseCartCookie(getCookie(c, CART_COOKIE));
  if (lines.length) deleteCookie(c, CART_COOKIE, { path: "/" });
  return lines;
}

/**
 * Sets several lines of the current visitor's cart at once (0 removes a line) and returns the cart after:
 * stored for members, one cookie written for visitors.
 */
export async function setCartLines(
  c: Ctx,
  changes: { productId: string; skuId: string; quantity: number }[],
): Promise<CartLine[]> {
  const user = c.get("user");
  if (user) {
    const db = c.get("deps").db;
    await db.transaction(async (tx) => {
      for (const ch of changes) await setMemberCartLine(tx, String(user.id), ch, ch.quantity);
    });
    return await memberCart(db, String(user.id));
  }
  let lines = parseCartCookie(getCookie(c, CART_COOKIE));
  for (const ch of changes) {
    // An old line of the product without a SKU is the same SKU (the product's only one).
    lines = setLine(lines.filter((l) => !(l.productId === ch.productId && !l.skuId)), ch, ch.quantity);
  }
  setCookie(c, CART_COOKIE, cartCookieValue(lines), { path: "/", httpOnly: true, sameSite: "Lax", maxAge: 30 * 86400 });
  return lines;
}
