/**
 * The shop's clock: its time zone, its business day and month, and how times are shown and typed, for
 * the server and the browser alike. Pure: every function takes the moment (`now`, an instant or an ISO
 * string) it works on. The shop keeps China time, UTC+8 all year (no daylight saving), so the IANA zone
 * and the fixed offset below always agree; this is the only module that names either.
 */

/** The shop's IANA time zone (for `Intl` and for SQL `AT TIME ZONE`). */
export const SHOP_TIME_ZONE = "Asia/Shanghai";

/** The shop's UTC offset as ISO text, for times typed in shop time. */
export const SHOP_UTC_OFFSET = "+08:00";

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** A moment: a Date, an ISO string or epoch milliseconds. */
export type Moment = Date | string | number;

const instant = (at: Moment): Date => (at instanceof Date ? at : new Date(at));

let minuteFormat: Intl.DateTimeFormat | undefined;
let shortFormat: Intl.DateTimeFormat | undefined;

/** The shop's calendar day of a moment, `YYYY-MM-DD` (the business day: "today" on every page). */
export function shopDay(at: Moment): string {
  // The fixed offset (no daylight saving) gives the zone's calendar day without Intl, which costs a
  // formatter call per visit on the hot page path; the tests compare both.
  return new Date(instant(at).getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The business day `days` days before `now` (0 is today's), `YYYY-MM-DD`. */
export function shopDayBefore(now: Moment, days: number): string {
  return shopDay(instant(now).getTime() - days * DAY_MS);
}

/** The instant the shop's month containing `now` began (the 1st, 00:00 shop time). */
export function shopMonthStart(now: Moment): Date {
  const { year, month } = shopCalendar(now);
  return shopMidnight(year, month, 1);
}

/** The shop-time calendar fields of a moment: year, month (0–11), day of month and weekday (Monday = 0). */
export function shopCalendar(at: Moment): { year: number; month: number; day: number; weekday: number } {
  const local = new Date(instant(at).getTime() + OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth(),
    day: local.getUTCDate(),
    weekday: (local.getUTCDay() + 6) % 7,
  };
}

/** The instant of 00:00 shop time on a calendar day (month 0–11; out-of-range days and months roll over). */
export function shopMidnight(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month, day) - OFFSET_MS);
}

/** A moment as "YYYY-MM-DD HH:mm" in shop time (order lists and pages: the full date, no zone beside it). */
export function shopDateTime(at: Moment): string {
  const iso = new Date(instant(at).getTime() + OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The HH:MM of a moment in shop time (the orders-per-minute buckets). */
export function shopMinute(at: Moment): string {
  return (minuteFormat ??= new Intl.DateTimeFormat("en-GB", {
    timeZone: SHOP_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  })).format(instant(at));
}

/** A moment as "MM/DD HH:mm" in shop time, identical on the server and in the browser. */
export function shortTime(at: Moment): string {
  return (shortFormat ??= new Intl.DateTimeFormat("zh-CN", {
    timeZone: SHOP_TIME_ZONE,
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  })).format(instant(at));
}

/** An instant as a datetime-local value in shop time ("2026-11-22T09:30"), or "" for none. */
export function toShopLocalInput(iso: string | null): string {
  return iso ? new Date(new Date(iso).getTime() + OFFSET_MS).toISOString().slice(0, 16) : "";
}

/**
 * A datetime-local value in shop time as an ISO instant with its offset ("2026-11-22T09:30" →
 * "2026-11-22T09:30:00+08:00"); anything else is returned as typed, for the schema to judge.
 */
export function fromShopLocalInput(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00${SHOP_UTC_OFFSET}` : value;
}
