/** "分享赚 ¥x" on a product page: what a signed-in distributor would earn at tier 1 on one unit of each SKU. */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { tierOneEarning } from "../domain/commission/compute.ts";
import { toMoneyString } from "../domain/money.ts";
import { beneficiaryNow, currentPlan } from "./distribution.ts";
import type { ProductView } from "./catalogue.ts";

/**
 * Per SKU id, what `viewer` would earn at tier 1 when one unit is bought under the plan in force
 * (`tierOneEarning`: their rank, volume bonus, overrides, campaigns and the cap), on the price a referred
 * member pays now (the flash-sale price while one runs, else the list price). Undefined unless the viewer
 * is a distributor who may earn; SKUs that would earn nothing are left out.
 */
export async function shareEarnings(
  db: Db,
  viewer: UserRow | undefined,
  product: ProductView,
  now: Date,
): Promise<Record<string, string> | undefined> {
  if (viewer?.role !== "distributor") return undefined;
  const plan = await currentPlan(db);
  const [who, rows] = await Promise.all([
    beneficiaryNow(db, plan, String(viewer.id), now),
    db.query<{ sku_id: string; cost_price: string; category_id: string }>(
      `SELECT s.id::text AS sku_id, s.cost_price::text, p.category_id::text
         FROM product_skus s JOIN products p ON p.id = s.product_id
        WHERE s.product_id = $1 AND s.archived_at IS NULL`,
      [product.id],
    ),
  ]);
  if (!who?.eligible) return undefined;
  const out: Record<string, string> = {};
  for (const sku of product.skus) {
    const row = rows.find((r) => r.sku_id === sku.id);
    if (!row) continue;
    const amount = tierOneEarning(
      plan,
      {
        orderItemId: sku.id,
        productId: product.id,
        categoryId: row.category_id,
        quantity: 1,
        lineTotal: product.flashSale?.price ?? sku.price,
        unitCost: row.cost_price,
      },
      who,
      now,
    );
    if (amount.gt(0)) out[sku.id] = toMoneyString(amount);
  }
  return out;
}
