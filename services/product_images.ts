import type { Db } from "../db/db.ts";
import { findProduct, type ProductRow } from "../db/products_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { fail } from "../lib/errors.ts";

/** A product's picture: the uploaded one, or the product row to draw one from, or nothing for an unknown id. */
export async function productImage(
  db: Db,
  id: string,
): Promise<{ uploaded: { content_type: string; data: Uint8Array } } | { product: ProductRow } | null> {
  const [uploaded] = /^\d{1,18}$/.test(id)
    ? await db.query<{ content_type: string; data: Uint8Array }>(
      "SELECT content_type, data FROM product_images WHERE product_id = $1",
      [id],
    )
    : [];
  if (uploaded) return { uploaded };
  const product = await findProduct(db, id);
  return product ? { product } : null;
}

/** Stores (or replaces) a product's picture, with its audit entry, in one transaction; 404 for an unknown product. */
export async function saveProductImage(
  db: Db,
  actor: UserRow,
  id: string,
  image: { type: string; bytes: Uint8Array },
  ip: string,
): Promise<void> {
  const { type, bytes } = image;
  await db.transaction(async (tx) => {
    const [product] = await tx.query("SELECT 1 FROM products WHERE id = $1", [/^\d{1,18}$/.test(id) ? id : "0"]);
    if (!product) throw fail.notFound("product");
    await tx.query(
      `INSERT INTO product_images (product_id, content_type, data, uploaded_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (product_id) DO UPDATE SET content_type = EXCLUDED.content_type, data = EXCLUDED.data,
         uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()`,
      [id, type, bytes, actor.id],
    );
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "product.image",
      target: `product:${id}`,
      ip,
      after: { type, bytes: bytes.length },
    });
  });
}
