/** Settlement period lengths. */
export type PeriodKind = "weekly" | "semi_monthly" | "monthly";

/** Shop time is China time (UTC+8, no daylight saving). */
const OFFSET_MS = 8 * 3_600_000;

function local(d: Date): Date {
  return new Date(d.getTime() + OFFSET_MS);
}

function utcFromLocal(y: number, m: number, day: number): Date {
  return new Date(Date.UTC(y, m, day) - OFFSET_MS);
}

/** The start of the period (in shop time) that contains `at`. */
export function periodStart(kind: PeriodKind, at: Date): Date {
  const l = local(at);
  const [y, m, d] = [l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate()];
  if (kind === "monthly") return utcFromLocal(y, m, 1);
  if (kind === "semi_monthly") return utcFromLocal(y, m, d >= 16 ? 16 : 1);
  const weekday = (l.getUTCDay() + 6) % 7; // Monday = 0
  return utcFromLocal(y, m, d - weekday);
}

/** The end (exclusive) of the period that starts at `start`. */
export function periodEnd(kind: PeriodKind, start: Date): Date {
  const l = local(start);
  const [y, m, d] = [l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate()];
  if (kind === "monthly") return utcFromLocal(y, m + 1, 1);
  if (kind === "semi_monthly") return d === 1 ? utcFromLocal(y, m, 16) : utcFromLocal(y, m + 1, 1);
  return utcFromLocal(y, m, d + 7);
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
