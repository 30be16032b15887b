import { shopCalendar, shopMidnight } from "../shop_time.ts";

/** Settlement period lengths (boundaries at 00:00 shop time). */
export type PeriodKind = "weekly" | "semi_monthly" | "monthly";

/** The start of the period (in shop time) that contains `at`. */
export function periodStart(kind: PeriodKind, at: Date): Date {
  const { year: y, month: m, day: d, weekday } = shopCalendar(at);
  if (kind === "monthly") return shopMidnight(y, m, 1);
  if (kind === "semi_monthly") return shopMidnight(y, m, d >= 16 ? 16 : 1);
  return shopMidnight(y, m, d - weekday); // weeks start on Monday
}

/** The end (exclusive) of the period that starts at `start`. */
export function periodEnd(kind: PeriodKind, start: Date): Date {
  const { year: y, month: m, day: d } = shopCalendar(start);
  if (kind === "monthly") return shopMidnight(y, m + 1, 1);
  if (kind === "semi_monthly") return d === 1 ? shopMidnight(y, m, 16) : shopMidnight(y, m + 1, 1);
  return shopMidnight(y, m, d + 7);
}

/**
 * The next period to close, if one has fully ended by `now`: it starts where the last one ended
 * (or at the start of the period of the first ledger activity) and ends at the period boundary.
 */
export function duePeriod(kind: PeriodKind, lastEnd: Date | null, firstActivity: Date | null, now: Date) {
  const start = lastEnd ?? (firstActivity ? periodStart(kind, firstActivity) : null);
  if (!start) return null;
  const end = periodEnd(kind, periodStart(kind, start));
  return end <= now && end > start ? { start, end } : null;
}
