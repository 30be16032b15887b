import assert from "node:assert/strict";
import { createTestApp, installPlanForTest } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { Scheduler } from "../services/scheduler.ts";
import { createLogger } from "../lib/log.ts";
import { shopDay } from "../domain/shop_time.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

interface Entry {
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  actorId: string | null;
}

Deno.test("each sensitive action leaves exactly one audit entry with before and after", opts, async () => {
  const admin = app.client();
  await admin.login("admin@test.example", "admin-password-1");
  const audit = async () => (await admin.json<{ items: Entry[] }>("GET", "/api/admin/audit?pageSize=100")).body.items;
  const expectOne = async (run: () => Promise<unknown>, action: string) => {
    const before = (await audit()).filter((e) => e.action === action).length;
    await run();
    const entries = (await audit()).filter((e) => e.action === action);
    assert.equal(entries.length, before + 1, action);
    assert.ok(entries[0].after !== null && entries[0].actorId !== null, `${action} has after and actor`);
    return entries[0];
  };

  const dist = app.client();
  const distUser = await dist.register("d@example.com", "D");
  const buyer = app.client();
  await buyer.register("b@example.com", "B", { referralCode: distUser.referralCode });

  const role = await expectOne(
    () => admin.json("POST", `/api/admin/users/${distUser.id}/role`, { json: { role: "distributor" } }),
    "user.role_change",
  );
  assert.deepEqual([role.before, role.after], [{ role: "shopper" }, { role: "distributor" }]);

  const plan = await expectOne(
    () =>
      admin.json("PUT", "/api/admin/commission-plan", {
        json: {
          tiers: [{ rate: "0.10" }],
          base: "paid_amount",
          eligibility: "everyone",
          selfPurchase: false,
          holdDays: 7,
        },
      }),
    "plan.change",
  );
  assert.ok(plan.before !== null);
  // Commission released at once for the withdrawal below (the guard refuses holdDays 0 since the hold rule).
  await installPlanForTest(app.db, { holdDays: 0 });

  const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name: "面霜", category: "beauty", price: "100.00", costPrice: "10.00", stock: 50, lowStockThreshold: 1 },
  });
  const stock = await expectOne(
    () => admin.json("PATCH", `/api/admin/products/${created.body.product.id}`, { json: { stock: 40 } }),
    "product.stock_adjust",
  );
  assert.deepEqual([stock.before, stock.after], [{ stock: 50 }, { stock: 40 }]);

  // An order, paid, delivered and released, then a withdrawal and a refund.
  const order = await buyer.json<{ order: { id: string; items: { id: string }[] } }>("POST", "/api/orders", {
    json: {
      items: [{ productId: created.body.product.id, quantity: 2 }],
      address: { name: "张三", phone: "13800001234", line1: "路 1 号", city: "上海" },
    },
    headers: { "idempotency-key": "a1" },
  });
  const pay = await buyer.json<{ payment: { id: string; amount: string } }>(
    "POST",
    `/api/orders/${order.body.order.id}/pay`,
    { json: { method: "sandbox" } },
  );
  const body = JSON.stringify({
    eventId: "a1",
    paymentId: pay.body.payment.id,
    amount: pay.body.payment.amount,
    status: "succeeded",
  });
  await buyer.json("POST", "/api/payments/webhook/sandbox", {
    body,
    headers: {
      "content-type": "application/json",
      "x-sandbox-signature": await new SandboxProvider(app.settings.paymentSandboxSecret).sign(body),
    },
  });
  await admin.json("POST", `/api/admin/orders/${order.body.order.id}/ship`, {
    json: { carrier: "SF", trackingNumber: "SF123" },
  });
  await buyer.json("POST", `/api/orders/${order.body.order.id}/confirm-receipt`);
  await new Scheduler(app.shop, createLogger("silent")).sweep();
  const w = await dist.json<{ withdrawal: { id: string } }>("POST", "/api/me/withdrawals", {
    json: { amount: "20.00" },
    headers: { "idempotency-key": "w" },
  });
  assert.equal(w.status, 201, JSON.stringify(w.body));
  const paid = await expectOne(
    () => admin.json("POST", `/api/admin/withdrawals/${w.body.withdrawal.id}/approve`),
    "withdrawal.approve",
  );
  assert.deepEqual(paid.before, { status: "requested" });

  const refund = await buyer.json<{ refund: { id: string } }>("POST", `/api/orders/${order.body.order.id}/refunds`, {
    json: { items: [{ orderItemId: order.body.order.items[0].id, quantity: 1 }], reason: "不要了" },
  });
  const approved = await expectOne(
    () => admin.json("POST", `/api/admin/refunds/${refund.body.refund.id}/approve`),
    "refund.approve",
  );
  assert.deepEqual(approved.before, { status: "requested" });

  await expectOne(
    () => dist.json("PATCH", "/api/me/profile", { json: { phone: "13900001111" } }),
    "user.profile_change",
  );
  await expectOne(() => admin.json("GET", `/api/admin/users/${distUser.id}`), "user.pii_view");

  // Append-only: the table refuses edits and deletes.
  await assert.rejects(app.db.query("UPDATE audit_log SET action = 'x'"));
  await assert.rejects(app.db.query("DELETE FROM audit_log"));
});

Deno.test(
  "the audit log page searches by action, actor (id or email), target and day, and its download is audited",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: { name: "审计搜索", category: "beauty", price: "9.90", costPrice: "3.00", stock: 5, lowStockThreshold: 1 },
    });
    const target = `product:${created.body.product.id}`;
    await admin.json("PATCH", `/api/admin/products/${created.body.product.id}`, { json: { price: "8.80" } });
    const targets = async (query: string) => {
      const res = await admin.request("GET", `/admin/audit?${query}`);
      assert.equal(res.status, 200, query);
      const html = await res.text();
      const table = html.match(/data-testid="audit"[\s\S]*?<\/table>/)?.[0] ?? "";
      return [...table.matchAll(/<td>(product:\d+|user:\d+|[a-z]+:[^<]*)<\/td>/g)].map((m) => m[1]);
    };
    assert.deepEqual(await targets(`target=${target}`), [target, target], "the update and the create");
    assert.deepEqual(await targets(`target=${target}&action=product.update`), [target]);
    assert.deepEqual(await targets(`target=${target}&actor=admin@test.example`), [target, target], "by email");
    assert.deepEqual(
      await targets(`target=${target}&actor=nobody@example.com`),
      [],
      "an unknown email matches nothing",
    );
    const today = shopDay(new Date());
    assert.deepEqual(await targets(`target=${target}&from=${today}&to=${today}`), [target, target]);
    assert.deepEqual(await targets(`target=${target}&to=2020-01-01`), []);
    const bad = await admin.request("GET", "/admin/audit?from=last-week");
    assert.equal(bad.status, 400);
    await bad.body?.cancel();

    const csv = await admin.request("GET", `/admin/audit?format=csv&target=${target}`);
    assert.equal(csv.status, 200);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    assert.equal(lines.length, 3, "a header and the two entries");
    assert.match(lines[1], /product\.update/);
    const exports = (await admin.json<{ items: Entry[] }>("GET", "/api/admin/audit?action=data.export")).body.items;
    assert.ok(exports.some((e) => e.target === "audit"), "downloading the log is itself audited");
  },
);

Deno.test("the audit log, the outbox and the ledger refuse UPDATE, DELETE and TRUNCATE", opts, async () => {
  for (
    const table of ["audit_log", "events", "ledger_entries", "ledger_transactions", "commission_lines", "statements"]
  ) {
    await assert.rejects(app.db.exec(`TRUNCATE ${table} CASCADE`), /append-only/, `TRUNCATE ${table}`);
  }
  await assert.rejects(app.db.exec("DELETE FROM audit_log"), /append-only/);
  await assert.rejects(app.db.exec("UPDATE audit_log SET action = 'x'"), /append-only/);
  const [{ n }] = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log");
  assert.ok(n > 0, "the entries are all still there");
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
