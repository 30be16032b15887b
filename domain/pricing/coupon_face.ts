import Big from "big.js";

/** What a coupon card shows: money off (`"20"`), or a share off as a percentage (`"10"`) and as 折 (`"9"`). */
export type CouponFace =
  | { kind: "amount_off"; amount: string }
  | { kind: "percent_off"; percent: string; zhe: string };

/**
 * The face of a coupon from its API value (`"20.00"`, `"0.15"`): whole yuan without `.00`, a share as
 * a percentage and as 折 (`"0.15"` → 15 % off, 8.5 折). Exact decimal arithmetic: nothing is rounded.
 */
export function couponFace(kind: "amount_off" | "percent_off", value: string): CouponFace {
  const v = new Big(value);
  if (kind === "amount_off") return { kind, amount: v.toString() };
  return { kind, percent: v.times(100).toString(), zhe: new Big(1).minus(v).times(10).toString() };
}
