import { AppError, type FieldMessages } from "../lib/errors.ts";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { PricingError } from "../domain/pricing/price_order.ts";
import { toMoneyString } from "../domain/money.ts";
import { type Quote, quote } from "./quote.ts";
import { pricingToAppError } from "./orders.ts";

/** Most distinct products a cart holds, and most units of one. */
export const CART_LIMITS = { lines: 50, quantity: 99 };

/** A cart line as stored: product and quantity. */
export interface CartLine {
  productId: string;
  quantity: number;
}

const cookieSchema = z.array(
  z.tuple([z.string().regex(/^\d{1,18}$/), z.number().int().min(1).max(CART_LIMITS.quantity)]),
)
  .max(CART_LIMITS.lines);

/** Reads the anonymous cart cookie (`[[productId, qty], …]` as JSON); anything malformed is an empty cart. */
export function parseCartCookie(value: string | undefined): CartLine[] {
  if (!value) return [];
  try {
    const parsed = cookieSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data.map(([productId, quantity]) => ({ productId, quantity })) : [];
  } catch {
    return [];
  }
}

/** Serialises an anonymous cart for its cookie. */
export function cartCookieValue(lines: CartLine[]): string {
  return JSON.stringify(lines.slice(0, CART_LIMITS.lines).map((l) => [l.productId, l.quantity]));
}

/** Sets a line's quantity in a list of lines (0 removes it). */
export function setLine(lines: CartLine[], productId: string, quantity: number): CartLine[] {
  const rest = lines.filter((l) => l.productId !== productId);
  return quantity > 0 ? [...rest, { productId, quantity: Math.min(quantity, CART_LIMITS.quantity) }] : rest;
}

/** A member's stored cart. */
export async function memberCart(db: Db, userId: string): Promise<CartLine[]> {
  const rows = await db.query<{ product_id: string; quantity: number }>(
    "SELECT product_id, quantity FROM cart_items WHERE user_id = $1 ORDER BY added_at, product_id",
    [userId],
  );
  return rows.map((r) => ({ productId: String(r.product_id), quantity: r.quantity }));
}

/** Sets the quantity of a product in a member's cart (0 removes it). */
export async function setMemberCartLine(db: Db, userId: string, productId: string, quantity: number): Promise<void> {
  if (quantity <= 0) {
    await db.query("DELETE FROM cart_items WHERE user_id = $1 AND product_id = $2", [userId, productId]);
    return;
  }
  await db.query(
    `INSERT INTO cart_items (user_id, product_id, quantity) SELECT $1, id, $3 FROM products WHERE id = $2
     ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
    [userId, productId, Math.min(quantity, CART_LIMITS.quantity)],
  );
}

/** Merges an anonymous cart into a member's cart at login (quantities add up, capped). */
export async function mergeCart(db: Db, userId: string, lines: CartLine[]): Promise<void> {
  if (!lines.length) return;
  await db.transaction(async (tx) => {
    const current = new Map((await memberCart(tx, userId)).map((l) => [l.productId, l.quantity]));
    for (const line of lines) {
      await setMemberCartLine(tx, userId, line.productId, (current.get(line.productId) ?? 0) + line.quantity);
    }
  });
}

/** Empties a member's cart of the given products (after they were ordered). */
export async function removeFromCart(db: Db, userId: string, productIds: string[]): Promise<void> {
  if (!productIds.length) return;
  await db.query("DELETE FROM cart_items WHERE user_id = $1 AND product_id = ANY(string_to_array($2, ',')::bigint[])", [
    userId,
    productIds.join(","),
  ]);
}

/** A cart line with its product for display. */
export interface CartProduct {
  id: string;
  name: string;
  name_en: string;
  category_id: string;
  price: string;
  sellable: number;
  on_sale: boolean;
}

/** The cart with products and its price from the one pricing function (or the reason it cannot be priced). */
export async function pricedCart(
  db: Db,
  buyer: UserRow | undefined,
  lines: CartLine[],
  options: { couponCode?: string; pointsToUse?: number; now: Date },
): Promise<{ lines: (CartLine & { product: CartProduct })[]; quote: Quote | null; problems: FieldMessages }> {
  if (!lines.length) return { lines: [], quote: null, problems: {} };
  const products = await db.query<CartProduct>(
    `SELECT id, name, name_en, category_id, price, stock - reserved AS sellable, on_sale FROM products
      WHERE id = ANY(string_to_array($1, ',')::bigint[])`,
    [lines.map((l) => l.productId).join(",")],
  );
  const byId = new Map(products.map((p) => [String(p.id), p]));
  const present = lines.filter((l) => byId.get(l.productId)?.on_sale);
  const withProducts = present.map((l) => ({ ...l, product: byId.get(l.productId)! }));
  if (!present.length) return { lines: withProducts, quote: null, problems: {} };
  const quantities = new Map(present.map((l) => [l.productId, l.quantity]));
  try {
    const q = await quote(
      db,
      buyer,
      new Map(present.map((l) => [l.productId, byId.get(l.productId)!])),
      quantities,
      options,
    );
    return { lines: withProducts, quote: q, problems: {} };
  } catch (err) {
    const known = err instanceof PricingError ? pricingToAppError(err) : err;
    const fields = known instanceof AppError ? known.fields : undefined;
    if (fields && (options.couponCode || options.pointsToUse)) {
      const retry = await quote(
        db,
        buyer,
        new Map(present.map((l) => [l.productId, byId.get(l.productId)!])),
        quantities,
        {
          now: options.now,
        },
      ).catch(() => null);
      return { lines: withProducts, quote: retry, problems: fields };
    }
    if (fields) return { lines: withProducts, quote: null, problems: fields };
    throw err;
  }
}

/** A priced cart's totals as the price breakdown shows them. */
export function quoteBreakdown(q: NonNullable<Awaited<ReturnType<typeof pricedCart>>["quote"]>) {
  const p = q.price;
  return {
    subtotal: toMoneyString(p.subtotal),
    discount: toMoneyString(p.discount),
    pointsDiscount: toMoneyString(p.pointsDiscount),
    shipping: toMoneyString(p.shipping),
    total: toMoneyString(p.total),
  };
}
