/**
 * Review: bulk shipping locks orders `FOR UPDATE` one statement at a time in the FILE's line order,
 * not in id order (LOCK_ORDER.md step 3 "orders, by id"). Two managers uploading overlapping files
 * in different orders deadlock; `bulkShip` has no retry, so the loser's upload is a 500.
 *
 * PostgreSQL only: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
 */
import assert from "node:assert/strict";
import { buyAndPay, createTestApp, DATABASE_URL } from "./helpers.ts";
import { bulkShip } from "../services/bulk_ship.ts";
import { findUserByEmail } from "../db/users_repo.ts";

const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !DATABASE_URL };

Deno.test("review: two bulk-ship uploads of the same orders in opposite order never deadlock", opts, async () => {
  const app = await createTestApp();
  try {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const manager = (await findUserByEmail(app.db, "admin@test.example"))!;
    const buyer = app.client();
    await buyer.register(`bs-${crypto.randomUUID().slice(0, 6)}@example.com`, "Buyer");
    const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: { name: "杯子", category: "home", price: "10.00", costPrice: "1.00", stock: 100, lowStockThreshold: 1 },
    });
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      ids.push(await buyAndPay(buyer, app.settings.paymentSandboxSecret, product.body.product.id));
    }
    const numbers = (await app.db.query<{ number: string }>(
      "SELECT number FROM orders WHERE id = ANY($1::bigint[]) ORDER BY id",
      [ids],
    )).map((r) => r.number);
    const csv = (list: string[]) => ["number,carrier,trackingNumber", ...list.map((n) => `${n},SF,SF${n}`)].join("\n");
    const outcome = (p: Promise<number>) =>
      p.then((n) => `shipped ${n}`, (e) => `${(e as { code?: string }).code ?? ""} ${String(e)}`);
    const [a, b] = await Promise.all([
      outcome(bulkShip(app.shop, manager, csv(numbers))),
      outcome(bulkShip(app.shop, manager, csv([...numbers].reverse()))),
    ]);
    // One ships all 16; the other finds them shipped (a 400 naming the lines) -- never a deadlock.
    for (const r of [a, b]) assert.ok(!r.includes("40P01") && !/deadlock/i.test(r), `deadlock: ${r}`);
  } finally {
    await app.close();
  }
});
