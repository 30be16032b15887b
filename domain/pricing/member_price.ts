import type Big from "big.js";
import { money, roundCents } from "../money.ts";

/** Member levels, lowest first. */
export const MEMBER_LEVELS = ["ordinary", "silver", "gold", "diamond"] as const;
/** A member level. */
export type MemberLevel = (typeof MEMBER_LEVELS)[number];

/** Price multipliers per member level as decimal strings ("0.95" = 5 % off). */
export type LevelDiscounts = Record<MemberLevel, string>;

/** Default member-level discounts. */
export const DEFAULT_LEVEL_DISCOUNTS: LevelDiscounts = {
  ordinary: "1",
  silver: "0.98",
  gold: "0.95",
  diamond: "0.90",
};

/** The price a member of `level` pays for a product listed at `price` (rounded to cents). */
export function memberPrice(price: Big | string, level: MemberLevel | null, discounts = DEFAULT_LEVEL_DISCOUNTS): Big {
  const base = money(price);
  if (!level) return roundCents(base);
  return roundCents(base.times(money(discounts[level])));
}
