import Big from "big.js";
import { money, roundCents, roundDown, sum, toMoneyString } from "../money.ts";
import { type LevelDiscounts, type MemberLevel, memberPrice } from "./member_price.ts";
import { prorate } from "./prorate.ts";

/** Shop-wide pricing settings (decimal strings). */
export interface PricingSettings {
  levelDiscounts: LevelDiscounts;
  /** Yuan one point is worth (100 points = ¥1 → "0.01"). */
  pointValue: string;
  /** Largest share of the goods (after the coupon) that points may pay, e.g. "0.5". */
  pointsMaxShare: string;
  /** Flat shipping fee. */
  shippingFee: string;
  /** Goods (after discounts) at or above this ship free. */
  freeShippingOver: string;
}

/** A time-boxed flash-sale price for one product. */
export interface PromotionInput {
  price: string;
  startsAt: Date;
  endsAt: Date;
  /** Most units one member may buy at this price (over all orders), or null. */
  perPersonLimit: number | null;
  /** Units this member already bought at this price. */
  boughtBefore: number;
}

/** One cart or order line to price (one SKU of a product; a product may have several lines, one per SKU). */
export interface PriceLineInput {
  productId: string;
  /** The SKU this line sells; lines of one product share its flash sale, coupon scope and limits. */
  skuId?: string;
  categoryId: string;
  listPrice: string;
  quantity: number;
  promotion?: PromotionInput | null;
}

/** A coupon with what the member has already done with it. */
export interface CouponInput {
  code: string;
  kind: "amount_off" | "percent_off";
  /** Yuan off ("20.00") or the share off ("0.15"). */
  value: string;
  minSubtotal: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  newMembersOnly: boolean;
  /** When non-empty, only these products (or categories) count. */
  productIds: string[];
  categoryIds: string[];
  perMemberLimit: number | null;
  usedByMember: number;
}

/** Everything the price of an order depends on. */
export interface PricingInput {
  lines: PriceLineInput[];
  level: MemberLevel | null;
  coupon?: CouponInput | null;
  /** Whether the member has no paid order yet (for new-member coupons). */
  isNewMember: boolean;
  pointsToUse: number;
  pointsBalance: number;
  now: Date;
  settings: PricingSettings;
}

/** One priced line: what the buyer pays for it and so what it refunds. */
export interface PricedLine {
  productId: string;
  skuId?: string;
  quantity: number;
  listPrice: Big;
  unitPrice: Big;
  promotionApplied: boolean;
  subtotal: Big;
  discount: Big;
  pointsDiscount: Big;
  /** subtotal − discount − pointsDiscount. */
  total: Big;
}

/** The price of an order: lines plus shipping add up exactly to `total`. */
export interface PriceResult {
  lines: PricedLine[];
  subtotal: Big;
  discount: Big;
  pointsUsed: number;
  pointsDiscount: Big;
  shipping: Big;
  total: Big;
  couponCode: string | null;
}

/** A price that cannot be given, naming the input at fault (`couponCode`, `pointsToUse`, `items`). */
export class PricingError extends Error {
  constructor(
    readonly field: "couponCode" | "pointsToUse" | "items",
    /** Why, as a code the message catalogue words (`pricing.<reason>`); `message` is the English for logs. */
    readonly reason: PricingReason,
    readonly params: Readonly<Record<string, string | number>>,
    message: string,
  ) {
    super(message);
    this.name = "PricingError";
  }
}

/** Why an order cannot be priced (or a line refunded). */
export type PricingReason =
  | "flashLimit"
  | "noItems"
  | "pointsWhole"
  | "pointsShort"
  | "quantityMin"
  | "refundLeft"
  | CouponReason;

/** Why a coupon does not apply. */
export type CouponReason =
  | "couponNotYet"
  | "couponExpired"
  | "couponNewOnly"
  | "couponUsedUp"
  | "couponNoItems"
  | "couponMinimum";

/** A coupon's refusal: its reason, the values its wording uses, and the English for logs. */
export interface CouponProblem {
  reason: CouponReason;
  params: Record<string, string | number>;
  message: string;
}

function unitPriceOf(line: PriceLineInput, level: MemberLevel | null, input: PricingInput) {
  const member = memberPrice(line.listPrice, level, input.settings.levelDiscounts);
  const promo = line.promotion;
  if (promo && promo.startsAt <= input.now && input.now < promo.endsAt) {
    const price = roundCents(money(promo.price));
    if (price.lt(member)) {
      // Every line of the product counts against the per-person limit of the sale price.
      const units = input.lines.filter((l) => l.productId === line.productId).reduce((n, l) => n + l.quantity, 0);
      if (promo.perPersonLimit !== null && promo.boughtBefore + units > promo.perPersonLimit) {
        const left = Math.max(0, promo.perPersonLimit - promo.boughtBefore);
        throw new PricingError(
          "items",
          "flashLimit",
          { left, productId: line.productId },
          `Flash sale limit: you can buy ${left} more of product ${line.productId}`,
        );
      }
      return { unitPrice: price, promotionApplied: true };
    }
  }
  return { unitPrice: member, promotionApplied: false };
}

/** Why a coupon does not apply, or null when it does. */
export function couponProblem(coupon: CouponInput, eligibleSubtotal: Big, input: PricingInput): CouponProblem | null {
  const problem = (reason: CouponReason, message: string, params = {}) => ({ reason, params, message });
  if (coupon.startsAt && input.now < coupon.startsAt) return problem("couponNotYet", "This coupon is not valid yet");
  if (coupon.endsAt && input.now >= coupon.endsAt) return problem("couponExpired", "This coupon has expired");
  if (coupon.newMembersOnly && !input.isNewMember) {
    return problem("couponNewOnly", "This coupon is for new members only");
  }
  if (coupon.perMemberLimit !== null && coupon.usedByMember >= coupon.perMemberLimit) {
    return problem("couponUsedUp", "You have already used this coupon as often as allowed");
  }
  if (eligibleSubtotal.eq(0)) return problem("couponNoItems", "This coupon does not apply to any item in the order");
  if (coupon.minSubtotal && eligibleSubtotal.lt(money(coupon.minSubtotal))) {
    const min = toMoneyString(money(coupon.minSubtotal));
    // `short`: how much more of the eligible items would make it apply (the coupon picker says so).
    const short = toMoneyString(money(coupon.minSubtotal).minus(eligibleSubtotal));
    return problem("couponMinimum", `This coupon needs at least ¥${min} of eligible items`, { min, short });
  }
  return null;
}

/**
 * Prices an order: list price → member-level price → flash-sale price → one coupon → points →
 * shipping. Coupon and points discounts are spread over the lines so each line's refundable
 * amount is known, and the lines plus shipping sum exactly to the total. Pure and deterministic.
 */
export function priceOrder(input: PricingInput): PriceResult {
  if (input.lines.length === 0) throw new PricingError("items", "noItems", {}, "The order has no items");
  if (!Number.isInteger(input.pointsToUse) || input.pointsToUse < 0) {
    throw new PricingError("pointsToUse", "pointsWhole", {}, "Points must be a whole number, zero or more");
  }
  if (input.pointsToUse > input.pointsBalance) {
    throw new PricingError(
      "pointsToUse",
      "pointsShort",
      { points: input.pointsBalance },
      `You have only ${input.pointsBalance} points`,
    );
  }
  const base = input.lines.map((line) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new PricingError("items", "quantityMin", {}, "Quantity must be at least 1");
    }
    const { unitPrice, promotionApplied } = unitPriceOf(line, input.level, input);
    return { line, unitPrice, promotionApplied, subtotal: unitPrice.times(line.quantity) };
  });
  const subtotal = sum(base.map((b) => b.subtotal));

  // The coupon: only eligible lines count towards its threshold and share its discount.
  let discounts = base.map(() => new Big(0));
  const coupon = input.coupon ?? null;
  if (coupon) {
    const eligible = base.map((b) =>
      (coupon.productIds.length === 0 && coupon.categoryIds.length === 0) ||
      coupon.productIds.includes(b.line.productId) || coupon.categoryIds.includes(b.line.categoryId)
    );
    const eligibleSubtotal = sum(base.filter((_, i) => eligible[i]).map((b) => b.subtotal));
    const problem = couponProblem(coupon, eligibleSubtotal, input);
    if (problem) throw new PricingError("couponCode", problem.reason, problem.params, problem.message);
    const value = money(coupon.value);
    const raw = coupon.kind === "amount_off" ? value : roundCents(eligibleSubtotal.times(value));
    const discount = raw.gt(eligibleSubtotal) ? eligibleSubtotal : raw;
    discounts = prorate(discount, base.map((b, i) => (eligible[i] ? b.subtotal : new Big(0))));
  }
  const discount = sum(discounts);
  const afterCoupon = base.map((b, i) => b.subtotal.minus(discounts[i]));
  const goods = subtotal.minus(discount);

  // Points, capped at a share of the goods after the coupon.
  const pointValue = money(input.settings.pointValue);
  const maxPoints = pointValue.gt(0)
    ? roundDown(goods.times(money(input.settings.pointsMaxShare)).div(pointValue)).toNumber()
    : 0;
  const pointsUsed = Math.min(input.pointsToUse, maxPoints);
  const pointsDiscount = roundCents(pointValue.times(pointsUsed));
  const pointsShares = prorate(pointsDiscount, afterCoupon);

  const paidGoods = goods.minus(pointsDiscount);
  const shipping = goods.gte(money(input.settings.freeShippingOver))
    ? new Big(0)
    : roundCents(money(input.settings.shippingFee));
  const lines = base.map((b, i) => ({
    productId: b.line.productId,
    skuId: b.line.skuId,
    quantity: b.line.quantity,
    listPrice: roundCents(money(b.line.listPrice)),
    unitPrice: b.unitPrice,
    promotionApplied: b.promotionApplied,
    subtotal: b.subtotal,
    discount: discounts[i],
    pointsDiscount: pointsShares[i],
    total: afterCoupon[i].minus(pointsShares[i]),
  }));
  return {
    lines,
    subtotal,
    discount,
    pointsUsed,
    pointsDiscount,
    shipping,
    total: paidGoods.plus(shipping),
    couponCode: coupon?.code ?? null,
  };
}

/**
 * The money back for returning `quantity` units of a line that paid `lineTotal` for
 * `lineQuantity` units, of which `refundedQuantity` units already returned `refundedAmount`.
 * Refunds telescope (each is the rounded cumulative share minus what was already returned), so
 * none is negative, and returning the last units returns exactly what is left.
 */
export function refundForLine(
  line: { total: Big; quantity: number; refundedQuantity: number; refundedAmount: Big },
  quantity: number,
): Big {
  const left = line.quantity - line.refundedQuantity;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > left) {
    throw new PricingError("items", "refundLeft", { left }, `Only ${left} units of this line can still be refunded`);
  }
  const cumulative = roundCents(line.total.times(line.refundedQuantity + quantity).div(line.quantity));
  return cumulative.minus(line.refundedAmount);
}

/**
 * How much more goods (after the coupon) a priced order needs for free shipping: 0 when it ships free
 * already or the shop never ships free (the same comparison `priceOrder` makes).
 */
export function freeShippingGap(result: PriceResult, settings: Pick<PricingSettings, "freeShippingOver">): Big {
  if (result.shipping.eq(0)) return new Big(0);
  const gap = money(settings.freeShippingOver).minus(result.subtotal.minus(result.discount));
  return gap.gt(0) ? gap : new Big(0);
}
