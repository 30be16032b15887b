/** What the cart page needs besides the cart itself: a SKU's sellable units, and the ticked lines' price. */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { freeShippingGap } from "../domain/pricing/price_order.ts";
import { toMoneyString } from "../domain/money.ts";
import { pricedCart, type PricedCartLine } from "./cart.ts";
import { pricingSettings } from "./quote.ts";

/** Units of a SKU that can be sold now (stock minus unpaid orders' reservations); undefined for no such SKU. */
export async function sellableUnits(db: Db, skuId: string): Promise<number | undefined> {
  const [row] = await db.query<{ sellable: number }>(
    "SELECT stock - reserved AS sellable FROM product_skus WHERE id = $1 AND archived_at IS NULL",
    [skuId],
  );
  return row ? Number(row.sellable) : undefined;
}

/**
 * The price of the ticked lines of a cart, as checkout prices them (the one pricing function over just
 * those lines): how many lines and units, the goods, shipping, and what the goods lack for free shipping.
 */
export async function selectionSummary(
  db: Db,
  buyer: UserRow | undefined,
  lines: PricedCartLine[],
  now: Date,
): Promise<{ count: number; units: number; subtotal: string; shipping: string; freeGap: string | null }> {
  const units = lines.reduce((n, l) => n + l.quantity, 0);
  const quote = lines.length ? (await pricedCart(db, buyer, lines, { now })).quote : null;
  if (!quote) return { count: 0, units: 0, subtotal: "0.00", shipping: "0.00", freeGap: null };
  const gap = freeShippingGap(quote.price, pricingSettings);
  return {
    count: lines.length,
    units,
    subtotal: toMoneyString(quote.price.subtotal),
    shipping: toMoneyString(quote.price.shipping),
    freeGap: gap.gt(0) ? toMoneyString(gap) : null,
  };
}
