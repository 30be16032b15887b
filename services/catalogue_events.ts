import type { Db } from "../db/db.ts";
import { appendEvent } from "../db/events_repo.ts";
import { INTERNAL_ROOM } from "../realtime/rooms.ts";
import { stockShown } from "../domain/stock_shown.ts";

/**
 * Writes a `catalogue_changed` event in the caller's transaction: something the shop pages show changed
 * for these products (their pages and every list page), or for the whole catalogue without ids.
 */
export async function catalogueChanged(tx: Db, productIds?: string[]): Promise<void> {
  await appendEvent(tx, "catalogue_changed", productIds ? { productIds: productIds.map(String) } : {}, [INTERNAL_ROOM]);
}

/** Writes `catalogue_changed` for a product when a stock movement changed the stock state its pages show. */
export async function stockShownChanged(
  tx: Db,
  productId: string,
  before: number,
  after: number,
  threshold: number,
): Promise<void> {
  if (stockShown(before, threshold) !== stockShown(after, threshold)) await catalogueChanged(tx, [productId]);
}
