import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../lib/app_env.ts";
import { clientIp, managerOnly, readJson, readQuery, requireManager } from "../lib/http.ts";
import { parseInput } from "../lib/validate.ts";
import { readLimitedBytes } from "../lib/upload.ts";
import { IMPORT_LIMIT, importProducts, importTemplate } from "../services/product_import.ts";
import { maskOrderFor } from "../services/members_admin.ts";
import { appConfig } from "../fresh.config.ts";
import { ORDER_STATUSES } from "../domain/orders/order_state.ts";
import { listOrders } from "../db/orders_repo.ts";
import { orderView, shipOrder } from "../services/orders.ts";
import { approveRefund, refundView, rejectRefund } from "../services/refunds.ts";
import {
  adminProductView,
  archiveProduct,
  couponInputSchema,
  createCoupon,
  createProduct,
  productInputSchema,
  productPatchSchema,
  restoreProduct,
  updateProduct,
} from "../services/catalogue_admin.ts";
import { text } from "../lib/text.ts";

const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, "must be a numeric id") });
const shipSchema = z.object({
  carrier: text().trim().min(1, "Carrier is required").max(60),
  trackingNumber: text().trim().min(4, "Tracking number is too short").max(60),
});
const rejectSchema = z.object({ reason: text({ multiline: true }).trim().min(1, "Give a reason").max(500) });
const approveSchema = z.object({ note: text({ multiline: true }).trim().max(500).optional() });
const orderQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize).default(20),
});

/** Management API for the shop: products, coupons, orders, refunds (manager role, checked by the parent). */
export const apiAdminShop = new Hono<AppEnv>()
  .use(managerOnly())
  .post("/products", async (c) => {
    const input = await readJson(c, productInputSchema);
    const product = await createProduct(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ product }, 201);
  })
  .get("/products/import-template.csv", (c) =>
    c.body(importTemplate(), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="products-template.csv"',
    }))
  .post("/products/import", async (c) => {
    const buf = await readLimitedBytes(c, IMPORT_LIMIT);
    const dryRun = c.req.query("dryRun") === "true";
    const result = await importProducts(c.get("deps").db, requireManager(c), buf, dryRun, clientIp(c));
    return c.json({ import: result }, dryRun ? 200 : 201);
  })
  .get("/products/:id", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    return c.json({ product: await adminProductView(c.get("deps").db, id) });
  })
  .patch("/products/:id", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const patch = await readJson(c, productPatchSchema);
    const product = await updateProduct(c.get("deps").db, requireManager(c), id, patch, clientIp(c));
    return c.json({ product });
  })
  .delete("/products/:id", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    return c.json({ product: await archiveProduct(c.get("deps").db, requireManager(c), id, clientIp(c)) });
  })
  .post("/products/:id/restore", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    return c.json({ product: await restoreProduct(c.get("deps").db, requireManager(c), id, clientIp(c)) });
  })
  .post("/coupons", async (c) => {
    const input = await readJson(c, couponInputSchema);
    const coupon = await createCoupon(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ coupon }, 201);
  })
  .get("/orders", async (c) => {
    const q = readQuery(c, orderQuery);
    const db = c.get("deps").db;
    const { total, rows } = await listOrders(db, {
      status: q.status,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const viewer = requireManager(c);
    return c.json({
      items: await Promise.all(rows.map(async (o) => maskOrderFor(viewer, await orderView(db, o), String(o.user_id)))),
      total,
    });
  })
  .post("/orders/:id/ship", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const input = await readJson(c, shipSchema);
    const shop = c.get("deps").shop;
    const order = await shipOrder(shop, id, requireManager(c), input);
    return c.json({ order: await orderView(shop.db, order) });
  })
  .post("/refunds/:id/approve", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const shop = c.get("deps").shop;
    // The body is optional: `{ note? }` explains the decision to the buyer.
    const { note } = c.req.header("content-length") && c.req.header("content-length") !== "0"
      ? await readJson(c, approveSchema)
      : { note: undefined };
    const refund = await approveRefund(shop, id, requireManager(c), clientIp(c), note || null);
    return c.json({ refund: await refundView(shop.db, refund) });
  })
  .post("/refunds/:id/reject", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { reason } = await readJson(c, rejectSchema);
    const shop = c.get("deps").shop;
    const refund = await rejectRefund(shop, id, requireManager(c), reason, clientIp(c));
    return c.json({ refund: await refundView(shop.db, refund) });
  });
