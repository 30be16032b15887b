import type { Db } from "../db/db.ts";
import { restockForecast } from "../domain/analytics/forecast.ts";

/** Products for the catalogue page: stock, 14-day sales and the restock forecast, lowest cover first. */
export async function stockOverview(db: Db, limit = 200) {
  const rows = await db.query<
    {
      id: string;
      name: string;
      price: string;
      stock: number;
      reserved: number;
      low_stock_threshold: number;
      on_sale: boolean;
      restock_lead_days: number;
      sold14: number;
    }
  >(
    `SELECT p.id, p.name, p.price, p.stock, p.reserved, p.low_stock_threshold, p.on_sale, p.restock_lead_days,
            coalesce((SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                       WHERE i.product_id = p.id AND o.paid_at >= now() - interval '14 days'), 0)::int AS sold14
       FROM products p ORDER BY p.id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => {
    const sellable = r.stock - r.reserved;
    const forecast = restockForecast({ stock: sellable, unitsSold14d: r.sold14, leadTimeDays: r.restock_lead_days });
    return {
      id: String(r.id),
      name: r.name,
      price: r.price,
      sellable,
      threshold: r.low_stock_threshold,
      low: sellable <= r.low_stock_threshold,
      onSale: r.on_sale,
      sold14: r.sold14,
      leadDays: r.restock_lead_days,
      ...forecast,
    };
  }).sort((a, b) =>
    Number(b.restockNow) - Number(a.restockNow) || Number(b.low) - Number(a.low) || Number(a.id) - Number(b.id)
  );
}

/** Image types accepted for product pictures, by their magic bytes. */
export function sniffImage(bytes: Uint8Array): "image/png" | "image/jpeg" | "image/webp" | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (String.fromCharCode(...bytes.slice(0, 4)) === "RIFF" && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") {
    return "image/webp";
  }
  return null;
}
