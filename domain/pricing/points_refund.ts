import type Big from "big.js";
import { roundDown } from "../money.ts";

/** An order's spent points and the goods they were spent on, and how much of the goods is refunded. */
export interface PointsRefundInput {
  /** Whole points the order spent. */
  pointsUsed: number;
  /** The order's goods (the sum of its line totals). */
  goods: Big;
  /** Goods refunded before this refund. */
  refundedBefore: Big;
  /** Goods refunded by this refund. */
  refunded: Big;
}

/**
 * The whole points that come back when `refunded` of `goods` has been refunded in all: the cumulative
 * share, rounded down. Refunding all the goods gives back all the points.
 */
export function pointsShare(pointsUsed: number, goods: Big, refunded: Big): number {
  if (pointsUsed === 0 || goods.eq(0)) return 0;
  return roundDown(refunded.times(pointsUsed).div(goods)).toNumber();
}

/**
 * The points a refund gives back: the cumulative share after it minus the share before it
 * (telescoping), so however the goods are refunded, in one refund or many, the returns add up
 * exactly to the cumulative share, and to every spent point once all goods are refunded.
 */
export function pointsToReturn(input: PointsRefundInput): number {
  const after = input.refundedBefore.plus(input.refunded);
  return pointsShare(input.pointsUsed, input.goods, after) -
    pointsShare(input.pointsUsed, input.goods, input.refundedBefore);
}
