/**
 * The checkout page's use-cases: what its confirm step shows (the lines as the order will price them, the
 * member's address book, their coupons with why each does or does not apply) and placing its order (the
 * order, the cart lines it took and a newly typed address kept in the book, in one transaction).
 */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { Shop } from "./shop.ts";
import {
  type CartLine,
  pricedCart,
  type PricedCartLine,
  quoteBreakdown,
  removeFromCart,
  stockProblems,
} from "./cart.ts";
import { type addressSchema, createOrder, pricingToAppError } from "./orders.ts";
import type { z } from "zod";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { AppError } from "../lib/errors.ts";
import type { Msg } from "../i18n/messages.ts";
import { PricingError } from "../domain/pricing/price_order.ts";
import { toMoneyString } from "../domain/money.ts";
import { type AddressEntry, addressOf, defaultAddress, keepCheckoutAddress, listAddresses } from "./address_book.ts";
import { type MyCoupon, myCoupons } from "./coupons.ts";
import { memberBalance } from "./members.ts";
import { quote } from "./quote.ts";
import type { Locale } from "../fresh.config.ts";

/** A delivery address as the checkout form gives it. */
export type Address = z.infer<typeof addressSchema>;

/** The most claimed coupons the picker weighs (each is one pricing). */
const MAX_COUPON_CHOICES = 20;

/**
 * Places the order of a checkout (`checkout:<key>` makes a double submit one order); inside the order's
 * transaction the ordered lines leave the member's cart (unless `keepCart`: bought now, past the cart), and a
 * newly typed address is kept in the book (always when the book is empty, as the default; else when
 * `keepAddress` is set).
 */
export async function checkoutOrder(
  shop: Shop,
  buyer: UserRow,
  lines: CartLine[],
  input: { couponCode?: string; pointsToUse: number; address: Address; keepAddress?: boolean },
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
      if (input.keepAddress !== undefined) {
        await keepCheckoutAddress(tx, shop.box, String(buyer.id), input.address, input.keepAddress);
      }
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

/** An address of the member's book as the order stores it (404 for anyone else's). */
export async function bookAddress(db: Db, box: CryptoBox, userId: string, addressId: string): Promise<Address> {
  const a = await addressOf(db, box, userId, addressId);
  return { name: a.name, phone: a.phone, line1: a.line1, city: a.city, postcode: a.postcode ?? undefined };
}

/** One of the member's claimed coupons at checkout: what it takes off this order, or why it does not apply. */
export interface CouponChoice {
  coupon: MyCoupon;
  /** The discount on this order (a decimal string) when it applies. */
  discount: string | null;
  /** Why it does not apply to this order. */
  problem: Msg | null;
}

/**
 * The member's usable claimed coupons (as `GET /api/me/coupons?usable=true` lists them), each priced against
 * these lines by the one pricing function: those that apply first, the biggest saving first, then the
 * others with their reason (below the minimum, not for these products, new members only, …).
 */
export async function couponChoices(
  db: Db,
  buyer: UserRow,
  lines: PricedCartLine[],
  now: Date,
): Promise<CouponChoice[]> {
  const present = lines.filter((l) => l.product.on_sale);
  const { items } = await myCoupons(db, String(buyer.id), now, {
    tab: "usable",
    page: 1,
    pageSize: MAX_COUPON_CHOICES,
  });
  if (!items.length || !present.length) return items.map((coupon) => ({ coupon, discount: null, problem: null }));
  const quoteLines = present.map((l) => ({
    skuId: l.skuId,
    productId: l.productId,
    categoryId: String(l.product.category_id),
    price: l.product.price,
    quantity: l.quantity,
  }));
  const choices: CouponChoice[] = [];
  for (const coupon of items) {
    try {
      const q = await quote(db, buyer, quoteLines, { couponCode: coupon.code, now });
      choices.push({ coupon, discount: toMoneyString(q.price.discount), problem: null });
    } catch (err) {
      const known = err instanceof PricingError ? pricingToAppError(err) : err;
      if (!(known instanceof AppError) || known.status >= 500) throw err;
      const field = known.fields?.couponCode;
      // Only the coupon's own refusal is about it (a line's problem shows on the line, for every coupon).
      if (!field) return items.map((c) => ({ coupon: c, discount: null, problem: null }));
      choices.push({ coupon, discount: null, problem: field });
    }
  }
  const saving = (c: CouponChoice) => Number(c.discount ?? -1);
  return choices.sort((a, b) => saving(b) - saving(a));
}

/** A line of the confirm step: the SKU, its picture and name, and its price as the order will store it. */
export interface CheckoutLine {
  key: string;
  productId: string;
  name: string;
  specs: Record<string, string>;
  quantity: number;
  /** Unit price, subtotal and line total as the order will store them; null when the line cannot be ordered. */
  unitPrice: string | null;
  subtotal: string | null;
  lineTotal: string | null;
}

/**
 * Everything the confirm step shows, priced with the coupon and points asked for: the lines, the
 * breakdown (exactly the order's), the member's addresses and coupons, their points, and the problems
 * (a coupon or points that do not apply, by field).
 */
export async function checkoutView(
  db: Db,
  box: CryptoBox,
  buyer: UserRow,
  lines: CartLine[],
  ask: { couponCode?: string; pointsToUse: number; now: Date; locale: Locale },
) {
  const cart = await pricedCart(db, buyer, lines, {
    couponCode: ask.couponCode,
    pointsToUse: ask.pointsToUse,
    now: ask.now,
  });
  const balance = await memberBalance(db, buyer.id);
  const addresses: AddressEntry[] = await listAddresses(db, box, String(buyer.id));
  const coupons = await couponChoices(db, buyer, cart.lines, ask.now);
  const priced = new Map((cart.quote?.price.lines ?? []).map((l) => [l.skuId, l]));
  const en = ask.locale === "en";
  const shown: CheckoutLine[] = cart.lines.map((l) => {
    const p = priced.get(l.skuId);
    return {
      key: l.skuId,
      productId: l.productId,
      name: en && l.product.name_en ? l.product.name_en : l.product.name,
      specs: l.product.specs ?? {},
      quantity: l.quantity,
      unitPrice: p ? toMoneyString(p.unitPrice) : null,
      subtotal: p ? toMoneyString(p.subtotal) : null,
      lineTotal: p ? toMoneyString(p.total) : null,
    };
  });
  return {
    lines: shown,
    breakdown: cart.quote ? quoteBreakdown(cart.quote) : undefined,
    /** The coupon the breakdown includes (none when the one asked for was refused). */
    appliedCoupon: cart.quote?.price.couponCode ?? null,
    problems: cart.problems,
    /** A line that wants more than can be sold now, said before the order is tried. */
    warnings: stockProblems(cart.lines, ask.locale),
    addresses,
    coupons,
    pointsBalance: balance.points_balance,
  };
}

/** The confirm step's data. */
export type CheckoutView = Awaited<ReturnType<typeof checkoutView>>;
