import type Big from "big.js";
import { money } from "../money.ts";
import { MEMBER_LEVELS, type MemberLevel } from "./member_price.ts";

/** Cumulative spend needed for each level above ordinary (decimal strings). */
export type LevelThresholds = Record<Exclude<MemberLevel, "ordinary">, string>;

/**
 * The level a member's cumulative paid spend earns. Levels only rise automatically: a member
 * already above what the spend earns keeps their level.
 */
export function levelForSpend(spent: Big, thresholds: LevelThresholds, current: MemberLevel): MemberLevel {
  let earned: MemberLevel = "ordinary";
  for (const level of MEMBER_LEVELS) {
    if (level !== "ordinary" && spent.gte(money(thresholds[level]))) earned = level;
  }
  return MEMBER_LEVELS.indexOf(earned) > MEMBER_LEVELS.indexOf(current) ? earned : current;
}
