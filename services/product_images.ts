import type { Db } from "../db/db.ts";
import { findProduct, type ProductRow } from "../db/products_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { fail } from "../lib/errors.ts";
import { makeThumbnails } from "../lib/thumbnails.ts";
import { imageVersion, type ThumbWidth } from "../components/product_image.ts";
import { catalogueChanged } from "./catalogue_events.ts";

/** An uploaded picture (or its thumbnail) as stored. */
export interface StoredImage {
  content_type: string;
  data: Uint8Array;
  /** The `?v=` its URLs carry. */
  version: string;
}

/**
 * A product's picture: the uploaded one (its WebP thumbnail of width `w` when asked and made, else the
 * original), or the product row to draw one from, or nothing for an unknown id.
 */
export async function productImage(
  db: Db,
  id: string,
  w?: ThumbWidth,
): Promise<{ uploaded: StoredImage } | { product: ProductRow } | null> {
  const [uploaded] = /^\d{1,18}$/.test(id)
    ? await db.query<{ content_type: string; data: Uint8Array; uploaded_at: Date | string }>(
      `SELECT coalesce(v.content_type, i.content_type) AS content_type, coalesce(v.data, i.data) AS data, i.uploaded_at
         FROM product_images i LEFT JOIN product_image_variants v ON v.product_id = i.product_id AND v.width = $2
        WHERE i.product_id = $1`,
      [id, w ?? 0],
    )
    : [];
  if (uploaded) {
    const { content_type, data, uploaded_at } = uploaded;
    return {
      uploaded: { content_type, data, version: imageVersion({ name: "", category_slug: "", image_at: uploaded_at }) },
    };
  }
  const product = await findProduct(db, id);
  return product ? { product } : null;
}

/**
 * Stores (or replaces) a product's picture with its WebP thumbnails (made before the transaction), its
 * audit entry and a `catalogue_changed` event (the shop pages show the new picture's URL), in one
 * transaction; 404 for an unknown product, 400 for a picture that cannot be decoded.
 */
export async function saveProductImage(
  db: Db,
  actor: UserRow,
  id: string,
  image: { type: string; bytes: Uint8Array },
  ip: string,
): Promise<void> {
  const { type, bytes } = image;
  const productId = /^\d{1,18}$/.test(id) ? id : "0";
  const [known] = await db.query("SELECT 1 FROM products WHERE id = $1", [productId]);
  if (!known) throw fail.notFound("Product");
  const thumbs = await makeThumbnails(bytes);
  await db.transaction(async (tx) => {
    const [product] = await tx.query("SELECT 1 FROM products WHERE id = $1", [productId]);
    if (!product) throw fail.notFound("Product");
    await tx.query(
      `INSERT INTO product_images (product_id, content_type, data, uploaded_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (product_id) DO UPDATE SET content_type = EXCLUDED.content_type, data = EXCLUDED.data,
         uploaded_by = EXCLUDED.uploaded_by, uploaded_at = clock_timestamp()`,
      [id, type, bytes, actor.id],
    );
    await tx.query("DELETE FROM product_image_variants WHERE product_id = $1", [id]);
    for (const t of thumbs) {
      await tx.query(
        `INSERT INTO product_image_variants (product_id, width, height, content_type, data)
         VALUES ($1, $2, $3, 'image/webp', $4)`,
        [id, t.width, t.height, t.data],
      );
    }
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "product.image",
      target: `product:${id}`,
      ip,
      after: { type, bytes: bytes.length, thumbnails: thumbs.map((t) => `${t.width}x${t.height}`) },
    });
    await catalogueChanged(tx, [id]);
  });
}
