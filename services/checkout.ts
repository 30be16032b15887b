/** The checkout form's order: the order, the cart lines it took and the member's first address, in one transaction. */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { Shop } from "./shop.ts";
import { type CartLine, removeFromCart } from "./cart.ts";
import { type addressSchema, createOrder } from "./orders.ts";
import type { z } from "zod";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { defaultAddress, saveFirstAddress } from "./address_book.ts";

/** A delivery address as the checkout form gives it. */
export type Address = z.infer<typeof addressSchema>;

/**
 * Places the order of a checkout (`checkout:<key>` makes a double submit one order); inside the order's
 * transaction the ordered lines leave the member's cart (unless `keepCart`: bought now, past the cart) and
 * a member without an address keeps this one as their default.
 */
export async function checkoutOrder(
  shop: Shop,
  buyer: UserRow,
  lines: CartLine[],
  input: { couponCode?: string; pointsToUse: number; address: Address },
  key: string,
  referrerId: string | null,
  /** `keepCart`: a buy-now order, which leaves the member's cart as it is. */
  options: { keepCart?: boolean } = {},
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
      if (!options.keepCart) {
        await removeFromCart(tx, String(buyer.id), lines.flatMap((l) => (l.skuId ? [l.skuId] : [])));
      }
      await saveFirstAddress(tx, shop.box, String(buyer.id), input.address);
    },
  );
}

/** The member's default address (else their newest), to fill the checkout form. */
export async function checkoutAddress(
  db: Db,
  box: CryptoBox,
  userId: string | number,
): Promise<{ name: string; phone: string; line1: string; city: string; postcode: string } | undefined> {
  const a = await defaultAddress(db, box, String(userId));
  return a ? { name: a.name, phone: a.phone, line1: a.line1, city: a.city, postcode: a.postcode ?? "" } : undefined;
}
