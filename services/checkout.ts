/** The checkout form's order: the order, the cart lines it took and the member's first address, in one transaction. */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { Shop } from "./shop.ts";
import { type CartLine, removeFromCart } from "./cart.ts";
import { type addressSchema, createOrder } from "./orders.ts";
import type { z } from "zod";

/** A delivery address as the checkout form gives it. */
export type Address = z.infer<typeof addressSchema>;

/**
 * Places the order of a checkout (`checkout:<key>` makes a double submit one order); inside the order's
 * transaction the ordered lines leave the member's cart and a member without an address keeps this one
 * as their default.
 */
export async function checkoutOrder(
  shop: Shop,
  buyer: UserRow,
  lines: CartLine[],
  input: { couponCode?: string; pointsToUse: number; address: Address },
  key: string,
  referrerId: string | null,
) {
  return await createOrder(
    shop,
    buyer,
    {
      items: lines.map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity })),
      couponCode: input.couponCode,
      pointsToUse: input.pointsToUse,
      address: input.address,
    },
    `checkout:${key}`,
    referrerId,
    async (tx) => {
      await removeFromCart(tx, String(buyer.id), lines.flatMap((l) => (l.skuId ? [l.skuId] : [])));
      await saveFirstAddress(tx, String(buyer.id), input.address);
    },
  );
}

/** Keeps an address as the member's default when they have none yet. */
async function saveFirstAddress(tx: Db, userId: string, address: Address): Promise<void> {
  const [{ n }] = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM addresses WHERE user_id = $1", [
    userId,
  ]);
  if (n > 0) return;
  await tx.query(
    "INSERT INTO addresses (user_id, name, phone, line1, city, postcode, is_default) VALUES ($1, $2, $3, $4, $5, $6, true)",
    [userId, address.name, address.phone, address.line1, address.city, address.postcode ?? null],
  );
}

/** The member's default address (else their newest), to fill the checkout form. */
export async function defaultAddress(
  db: Db,
  userId: string | number,
): Promise<{ name: string; phone: string; line1: string; city: string; postcode: string } | undefined> {
  const [row] = await db.query<
    { name: string; phone: string; line1: string; city: string; postcode: string | null }
  >(
    "SELECT name, phone, line1, city, postcode FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, id DESC LIMIT 1",
    [userId],
  );
  return row ? { ...row, postcode: row.postcode ?? "" } : undefined;
}
