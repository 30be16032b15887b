/** The shop's clock for times typed into datetime-local inputs (China time, no daylight saving). */
export const SHOP_OFFSET = "+08:00";
const SHOP_OFFSET_MS = 8 * 3600_000;

/** An instant as a datetime-local value in shop time ("2026-11-22T09:30"), or "" for none. */
export function toShopLocalInput(iso: string | null): string {
  return iso ? new Date(new Date(iso).getTime() + SHOP_OFFSET_MS).toISOString().slice(0, 16) : "";
}

/**
 * A datetime-local value in shop time as an ISO instant with its offset ("2026-11-22T09:30" →
 * "2026-11-22T09:30:00+08:00"); anything else is returned as typed, for the schema to judge.
 */
export function fromShopLocalInput(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00${SHOP_OFFSET}` : value;
}
