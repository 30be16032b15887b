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

/** Sets a product's quantity in the current visitor's cart (0 removes it). */
export async function setCartLine(c: Ctx, productId: string, quantity: number): Promise<void> {
  const user = c.get("user");
  if (user) return await setMemberCartLine(c.get("deps").db, String(user.id), productId, quantity);
  const lines = setLine(parseCartCookie(getCookie(c, CART_COOKIE)), productId, quantity);
  setCookie(c, CART_COOKIE, cartCookieValue(lines), { path: "/", httpOnly: true, sameSite: "Lax", maxAge: 30 * 86400 });
}

/** Takes the visitor's cookie cart away (to merge it into the member's cart at login). */
export function takeCookieCart(c: Ctx): CartLine[] {
  const lines = parseCartCookie(getCookie(c, CART_COOKIE));
  if (lines.length) deleteCookie(c, CART_COOKIE, { path: "/" });
  return lines;
}
