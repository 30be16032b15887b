import { inAxisOrder } from "../domain/catalogue/skus.ts";
import { AppError, fail, type FieldMessages } from "../lib/errors.ts";
import { msg, says, type Translator } from "../i18n/messages.ts";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { PricingError } from "../domain/pricing/price_order.ts";
import { toMoneyString } from "../domain/money.ts";
import Big from "big.js";
import { specsKey } from "../domain/catalogue/skus.ts";
import { type Quote, quote } from "./quote.ts";
import { pricingToAppError } from "./orders.ts";

/** Most distinct SKUs a cart holds, and most units of one. */
export const CART_LIMITS = { lines: 50, quantity: 99 };

/** A cart line as stored: a SKU of a product and the units (`skuId` missing only in old visitor cookies). */
export interface CartLine {
  productId: string;
  skuId?: string;
  quantity: number;
}

const idPattern = /^\d{1,18}$/;
const cookieSchema = z.array(
  z.union([
    z.tuple([z.string().regex(idPattern), z.number().int().min(1).max(CART_LIMITS.quantity)]),
    z.tuple([
      z.string().regex(idPattern),
      z.number().int().min(1).max(CART_LIMITS.quantity),
      z.string().regex(idPattern),
    ]),
  ]),
)
  .max(CART_LIMITS.lines);

/** Reads the anonymous cart cookie (`[[productId, qty, skuId], …]` as JSON); anything malformed is an empty cart. */
export function parseCartCookie(value: string | undefined): CartLine[] {
  if (!value) return [];
  try {
    const parsed = cookieSchema.safeParse(JSON.parse(value));
    return parsed.success
      ? parsed.data.map((
        [productId, quantity, skuId],
      ) => (skuId ? { productId, skuId, quantity } : { productId, quantity }))
      : [];
  } catch {
    return [];
  }
}

/** Serialises an anonymous cart for its cookie. */
export function cartCookieValue(lines: CartLine[]): string {
  return JSON.stringify(
    lines.slice(0, CART_LIMITS.lines).map((
      l,
    ) => (l.skuId ? [l.productId, l.quantity, l.skuId] : [l.productId, l.quantity])),
  );
}

/** Whether two cart lines are the same SKU (a line without a SKU is its product's only one). */
function sameLine(a: { productId: string; skuId?: string }, b: { productId: string; skuId?: string }): boolean {
  return a.productId === b.productId && (a.skuId ?? "") === (b.skuId ?? "");
}

/** Sets a line's quantity in a list of lines, where it stands (0 removes it; a new line comes last). */
export function setLine(lines: CartLine[], line: { productId: string; skuId?: string }, quantity: number): CartLine[] {
  const rest = lines.filter((l) => !sameLine(l, line));
  if (quantity <= 0) return rest;
  const next = { ...line, quantity: Math.min(quantity, CART_LIMITS.quantity) };
  const at = lines.findIndex((l) => sameLine(l, line));
  return at === -1 ? [...rest, next] : [...rest.slice(0, at), next, ...rest.slice(at)];
}

/**
 * The SKU a cart line means: the one named (it must be one of the product's live SKUs), or the product's
 * only SKU. A product with several SKUs and no `skuId` is a 400 naming `field`; an unknown product or SKU too.
 */
export async function resolveCartSku(
  db: Db,
  productId: string,
  skuId: string | undefined,
  field = "skuId",
  /** The values chosen per axis (a product page posted without script), to find the SKU by. */
  specs: Record<string, string> = {},
) {
  const skus = await db.query<{ id: string; specs: Record<string, string> }>(
    "SELECT id, specs FROM product_skus WHERE product_id = $1 AND archived_at IS NULL ORDER BY sort, id",
    [productId],
  );
  if (!skuId && Object.keys(specs).length) {
    const found = skus.find((s) => specsKey(s.specs ?? {}) === specsKey(specs));
    if (found) return String(found.id);
  }
  if (!skus.length) {
    throw fail.invalid("cart.err.noProduct", {}, { [field.replace(/skuId$/, "productId")]: msg("cart.err.noProduct") });
  }
  if (skuId) {
    if (!skus.some((s) => String(s.id) === skuId)) {
      throw fail.invalid("cart.err.noSku", {}, { [field]: msg("cart.err.skuOf", { skuId, productId }) });
    }
    return skuId;
  }
  if (skus.length > 1) {
    throw fail.invalid("cart.err.chooseSku", {}, { [field]: msg("cart.err.chooseOf", { productId, n: skus.length }) });
  }
  return String(skus[0].id);
}

/** The body of `PUT /api/cart`: lines to set (quantity 0 removes one); other lines stay. */
export const cartPutSchema = z.object({
  items: z.array(z.object({
    productId: z.string().regex(idPattern, says("validation.id")),
    skuId: z.string().regex(idPattern, says("validation.id")).optional(),
    quantity: z.number().int().min(0).max(
      CART_LIMITS.quantity,
      says("cart.err.maxQuantity", { max: CART_LIMITS.quantity }),
    ),
  })).max(CART_LIMITS.lines),
});

/** The SKU of every line of a cart change (`resolveCartSku`), all problems at once as one 400. */
export async function resolveCartChanges(db: Db, items: z.infer<typeof cartPutSchema>["items"]) {
  const fields: FieldMessages = {};
  const out: { productId: string; skuId: string; quantity: number }[] = [];
  for (const [i, item] of items.entries()) {
    try {
      out.push({ ...item, skuId: await resolveCartSku(db, item.productId, item.skuId, `items.${i}.skuId`) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      Object.assign(fields, err.fields ?? {});
    }
  }
  if (Object.keys(fields).length) throw fail.invalid("cart.err.linesWrong", {}, fields);
  return out;
}

/** A member's stored cart. */
export async function memberCart(db: Db, userId: string): Promise<CartLine[]> {
  const rows = await db.query<{ product_id: string; sku_id: string; quantity: number }>(
    "SELECT product_id, sku_id, quantity FROM cart_items WHERE user_id = $1 ORDER BY added_at, sku_id",
    [userId],
  );
  return rows.map((r) => ({ productId: String(r.product_id), skuId: String(r.sku_id), quantity: r.quantity }));
}

/** Sets the quantity of a SKU in a member's cart (0 removes it); the SKU must be the product's. */
export async function setMemberCartLine(
  db: Db,
  userId: string,
  line: { productId: string; skuId: string },
  quantity: number,
): Promise<void> {
  if (quantity <= 0) {
    await db.query("DELETE FROM cart_items WHERE user_id = $1 AND sku_id = $2", [userId, line.skuId]);
    return;
  }
  await db.query(
    `INSERT INTO cart_items (user_id, product_id, sku_id, quantity) SELECT $1, product_id, id, $4 FROM product_skus
      WHERE id = $3 AND product_id = $2
     ON CONFLICT (user_id, sku_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
    [userId, line.productId, line.skuId, Math.min(quantity, CART_LIMITS.quantity)],
  );
}

/** Merges an anonymous cart into a member's cart at login (quantities add up, capped). */
export async function mergeCart(db: Db, userId: string, lines: CartLine[]): Promise<void> {
  if (!lines.length) return;
  await db.transaction(async (tx) => {
    const current = await memberCart(tx, userId);
    for (const line of lines) {
      const skuId = await resolveCartSku(tx, line.productId, line.skuId).catch(() => null);
      if (!skuId) continue; // a product gone or now with several SKUs: the visitor chooses again
      const have = current.find((l) => l.skuId === skuId)?.quantity ?? 0;
      await setMemberCartLine(tx, userId, { productId: line.productId, skuId }, have + line.quantity);
    }
  });
}

/** Empties a member's cart of the given SKUs (after they were ordered). */
export async function removeFromCart(db: Db, userId: string, skuIds: string[]): Promise<void> {
  if (!skuIds.length) return;
  await db.query("DELETE FROM cart_items WHERE user_id = $1 AND sku_id = ANY(string_to_array($2, ',')::bigint[])", [
    userId,
    skuIds.join(","),
  ]);
}

/** A cart line's SKU with its product for display. */
export interface CartProduct {
  /** The product's id. */
  id: string;
  sku_id: string;
  /** In the product's axis order. */
  specs: Record<string, string>;
  sku_axes?: { name: string }[];
  name: string;
  name_en: string;
  category_id: string;
  /** The SKU's list price. */
  price: string;
  /** The SKU's sellable units. */
  sellable: number;
  on_sale: boolean;
}

/** A priced cart line: its SKU (resolved for old cookie lines) and product. */
export type PricedCartLine = CartLine & { skuId: string; product: CartProduct };

/** The cart with products and its price from the one pricing function (or the reason it cannot be priced). */
export async function pricedCart(
  db: Db,
  buyer: UserRow | undefined,
  lines: CartLine[],
  options: { couponCode?: string; pointsToUse?: number; now: Date },
): Promise<{ lines: PricedCartLine[]; quote: Quote | null; problems: FieldMessages }> {
  if (!lines.length) return { lines: [], quote: null, problems: {} };
  // SKUs by id, and for lines without one the product's only live SKU.
  const skus = await db.query<CartProduct>(
    `SELECT p.id, s.id AS sku_id, s.specs, p.sku_axes, p.name, p.name_en, p.category_id, s.price, s.stock - s.reserved AS sellable,
            (s.archived_at IS NULL AND p.on_sale AND (p.on_shelf_at IS NULL OR p.on_shelf_at <= now())
              AND (p.off_shelf_at IS NULL OR p.off_shelf_at > now())) AS on_sale
       FROM product_skus s JOIN products p ON p.id = s.product_id
      WHERE s.id = ANY(string_to_array($1, ',')::bigint[])
         OR (s.product_id = ANY(string_to_array($2, ',')::bigint[]) AND s.archived_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM product_skus o WHERE o.product_id = s.product_id AND o.archived_at IS NULL
                              AND o.id <> s.id))`,
    [
      lines.filter((l) => l.skuId).map((l) => l.skuId).join(","),
      lines.filter((l) => !l.skuId).map((l) => l.productId).join(","),
    ],
  );
  for (const s of skus) s.specs = inAxisOrder(s.specs, s.sku_axes);
  const withProducts: PricedCartLine[] = [];
  for (const l of lines) {
    const product = skus.find((s) => String(s.id) === l.productId && (l.skuId ? String(s.sku_id) === l.skuId : true));
    if (!product) continue;
    const skuId = String(product.sku_id);
    const seen = withProducts.find((w) => w.skuId === skuId);
    if (seen) seen.quantity = Math.min(seen.quantity + l.quantity, CART_LIMITS.quantity);
    else withProducts.push({ productId: l.productId, skuId, quantity: l.quantity, product });
  }
  const present = withProducts.filter((l) => l.product.on_sale);
  if (!present.length) return { lines: withProducts, quote: null, problems: {} };
  const quoteLines = present.map((l) => ({
    skuId: l.skuId,
    productId: l.productId,
    categoryId: String(l.product.category_id),
    price: l.product.price,
    quantity: l.quantity,
  }));
  try {
    const q = await quote(db, buyer, quoteLines, options);
    return { lines: withProducts, quote: q, problems: {} };
  } catch (err) {
    const known = err instanceof PricingError ? pricingToAppError(err) : err;
    const fields = known instanceof AppError ? known.fields : undefined;
    if (fields && (options.couponCode || options.pointsToUse)) {
      const retry = await quote(db, buyer, quoteLines, { now: options.now }).catch(() => null);
      return { lines: withProducts, quote: retry, problems: fields };
    }
    if (fields) return { lines: withProducts, quote: null, problems: fields };
    throw err;
  }
}

/** A problem for the first line that wants more than can be sold now, naming it in `locale` (shown before the order is tried). */
export function stockProblems(lines: PricedCartLine[], locale: string): FieldMessages {
  const short = lines.find((l) => l.product.on_sale && l.product.sellable < l.quantity);
  if (!short) return {};
  const name = locale === "en" && short.product.name_en ? short.product.name_en : short.product.name;
  return { items: msg("checkout.err.shortOf", { name, n: Math.max(0, short.product.sellable) }) };
}

/**
 * The contract's cart: priced lines (as checkout prices them) and the subtotal, with shipping and total;
 * a line is `available` when it can be bought at its quantity now, and `problems` says (in `t`'s
 * language) what checkout would refuse.
 */
export function cartView(cart: Awaited<ReturnType<typeof pricedCart>>, t: Translator) {
  const priced = new Map((cart.quote?.price.lines ?? []).map((l) => [l.skuId, l]));
  const problems = { ...stockProblems(cart.lines, t.locale), ...cart.problems };
  return {
    items: cart.lines.map((l) => {
      const p = priced.get(l.skuId);
      return {
        productId: l.productId,
        skuId: l.skuId,
        quantity: l.quantity,
        unitPrice: p ? toMoneyString(p.unitPrice) : null,
        lineTotal: p ? toMoneyString(p.total) : null,
        name: l.product.name,
        nameEn: l.product.name_en,
        specs: l.product.specs ?? {},
        stock: l.product.sellable,
        available: Boolean(p) && l.product.sellable >= l.quantity,
      };
    }),
    subtotal: toMoneyString(cart.quote?.price.subtotal ?? new Big(0)),
    shipping: toMoneyString(cart.quote?.price.shipping ?? new Big(0)),
    total: toMoneyString(cart.quote?.price.total ?? new Big(0)),
    problems: Object.fromEntries(Object.entries(problems).map(([k, m]) => [k, t.msg(m)])),
  };
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
