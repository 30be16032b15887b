import type { Db } from "../db/db.ts";
import { couponForMember, isNewMember, promotionsFor } from "../db/shop_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { type CouponInput, priceOrder, type PriceResult } from "../domain/pricing/price_order.ts";
import { fail } from "../lib/errors.ts";
import { msg } from "../i18n/messages.ts";
import { appConfig } from "../fresh.config.ts";

/** The pricing settings of the shop, from the configuration. */
export const pricingSettings = {
  levelDiscounts: appConfig.shop.levelDiscounts,
  pointValue: appConfig.shop.pointValue,
  pointsMaxShare: appConfig.shop.pointsMaxShare,
  shippingFee: appConfig.shop.shippingFee,
  freeShippingOver: appConfig.shop.freeShippingOver,
};

/** One line as pricing needs it: a SKU of a product, its list price and the units wanted. */
export interface QuoteLine {
  skuId: string;
  productId: string;
  categoryId: string;
  price: string;
  quantity: number;
}

/** A priced order plus the ids the order needs to store (coupon, promotions per product). */
export interface Quote {
  price: PriceResult;
  couponId: string | null;
  /** Whether the coupon is a claimable one (the order then uses up the buyer's claim). */
  couponClaimed: boolean;
  promotionIds: Map<string, string>;
}

/**
 * Prices items for a member exactly as the order will be priced: the one pricing function fed
 * with the member's level, points, coupon usage and active flash sales. Used by the cart page,
 * checkout and order creation, so the shopper never sees two prices.
 */
export async function quote(
  db: Db,
  buyer: UserRow | undefined,
  lines: QuoteLine[],
  options: {
    couponCode?: string;
    pointsToUse?: number;
    now: Date;
    /** The buyer's points, level and first-order status when the caller has read them already. */
    member?: { points_balance: number; level: UserRow["level"]; new_member: boolean };
  },
): Promise<Quote> {
  const productIds = [...new Set(lines.map((l) => l.productId))];
  const promotions = productIds.length
    ? await promotionsFor(db, productIds, buyer ? String(buyer.id) : "0", options.now)
    : [];
  let coupon: (CouponInput & { id: string }) | null = null;
  let couponClaimed = false;
  if (options.couponCode && !buyer) {
    throw fail.invalid("checkout.err.loginForCoupon", {}, { couponCode: msg("checkout.err.loginForCoupon") });
  }
  if (options.couponCode && buyer) {
    const row = await couponForMember(db, options.couponCode, String(buyer.id));
    if (!row) throw fail.invalid("checkout.err.unknownCoupon", {}, { couponCode: msg("checkout.err.noCoupon") });
    if (row.claimable && row.claim !== "unused") {
      const why = row.claim === "used" ? "coupons.err.usedAlready" : "coupons.err.claimFirst";
      throw fail.invalid(why, {}, { couponCode: msg(why) });
    }
    coupon = {
      id: String(row.id),
      code: row.code,
      kind: row.kind,
      value: row.value,
      minSubtotal: row.min_subtotal,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      newMembersOnly: row.new_members_only,
      productIds: row.product_ids.map(String),
      categoryIds: row.category_ids.map(String),
      perMemberLimit: row.per_member_limit,
      usedByMember: row.used,
    };
    couponClaimed = row.claimable;
  }
  const [member] = options.member
    ? [options.member]
    : buyer
    ? await db.query<{ points_balance: number; level: UserRow["level"]; new_member?: boolean }>(
      "SELECT points_balance, level FROM users WHERE id = $1",
      [buyer.id],
    )
    : [{ points_balance: 0, level: null, new_member: true }];
  const promotionIds = new Map<string, string>();
  const price = priceOrder({
    lines: lines.map((line) => {
      const pid = line.productId;
      const promo = promotions.find((p) => String(p.product_id) === pid);
      if (promo) promotionIds.set(pid, String(promo.id));
      return {
        productId: pid,
        skuId: line.skuId,
        categoryId: String(line.categoryId),
        listPrice: line.price,
        quantity: line.quantity,
        promotion: promo
          ? {
            price: promo.price,
            startsAt: promo.starts_at,
            endsAt: promo.ends_at,
            perPersonLimit: promo.per_person_limit,
            boughtBefore: promo.bought,
          }
          : null,
      };
    }),
    level: member.level,
    coupon,
    isNewMember: member.new_member ?? (buyer ? await isNewMember(db, String(buyer.id)) : true),
    pointsToUse: options.pointsToUse ?? 0,
    pointsBalance: member.points_balance,
    now: options.now,
    settings: pricingSettings,
  });
  return { price, couponId: coupon?.id ?? null, couponClaimed, promotionIds };
}
