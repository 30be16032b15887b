/**
 * Review: releasing an order's commission used to post one ledger transaction per commission line,
 * nearest upline first; tier 1 is usually the NEWER member (higher id), so the release locked member
 * accounts in descending owner order, against LOCK_ORDER.md step 9 that `postMany` (pay, refund)
 * follows, and a release and a payment in the same chain deadlocked (40P01). Now a release posts
 * all its lines in one batch, after its other writes.
 *
 * A blocker transaction (an uncommitted `commission_releases` row for the second line) pauses the
 * release where a slow round trip would; the payment in the same chain must go through meanwhile,
 * and neither may end in a deadlock.
 *
 * PostgreSQL only (PGlite is one connection): DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
 */
import assert from "node:assert/strict";
import { buyAndPay, createTestApp, DATABASE_URL, installPlanForTest, TEST_ADDRESS } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { releaseDueCommissions } from "../services/distribution.ts";
import { retryCounts } from "../db/retry.ts";

const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !DATABASE_URL };

async function waitForLockWait(db: { query: (s: string, p?: unknown[]) => Promise<unknown[]> }, like: string) {
  for (let i = 0; i < 400; i++) {
    const rows = await db.query(
      `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1 AND pid <> pg_backend_pid()`,
      [like],
    );
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nobody waited on a lock in ${like}`);
}

Deno.test("review: a commission release and a payment in the same chain never deadlock", opts, async () => {
  const app = await createTestApp();
  try {
    const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    await installPlanForTest(app.db, { holdDays: 0 });
    const u1c = app.client();
    const u1 = await u1c.register(`u1-${crypto.randomUUID().slice(0, 6)}@example.com`, "U1");
    const u2c = app.client();
    const u2 = await u2c.register(`u2-${crypto.randomUUID().slice(0, 6)}@example.com`, "U2", {
      referralCode: u1.referralCode,
    });
    const bc = app.client();
    await bc.register(`b-${crypto.randomUUID().slice(0, 6)}@example.com`, "B", { referralCode: u2.referralCode });
    assert.ok(Number(u2.id) > Number(u1.id), "the nearer upline joined later");

    const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: { name: "面霜", category: "beauty", price: "100.00", costPrice: "10.00", stock: 50, lowStockThreshold: 1 },
    });
    const productId = product.body.product.id;

    // Order X: paid, shipped, delivered -> due for release.
    const x = await buyAndPay(bc, app.settings.paymentSandboxSecret, productId);
    assert.equal(
      (await admin.json("POST", `/api/admin/orders/${x}/ship`, {
        json: { carrier: "SF", trackingNumber: "SF12345" },
      })).status,
      200,
    );
    assert.equal((await bc.json("POST", `/api/orders/${x}/confirm-receipt`)).status, 200);
    const lines = await app.db.query<{ id: string; beneficiary_id: string; tier: number }>(
      "SELECT id::text, beneficiary_id::text, tier FROM commission_lines WHERE order_id = $1 ORDER BY id",
      [x],
    );
    assert.deepEqual(lines.map((l) => l.beneficiary_id), [u2.id, u1.id]);

    // Order Y: created and a payment opened; its webhook comes during the release.
    const y = await bc.json<{ order: { id: string } }>("POST", "/api/orders", {
      json: { items: [{ productId, quantity: 1 }], address: TEST_ADDRESS },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    const pay = await bc.json<{ payment: { id: string; amount: string } }>(
      "POST",
      `/api/orders/${y.body.order.id}/pay`,
      {
        json: { method: "sandbox" },
      },
    );

    const retriesBefore = retryCounts["40P01"] ?? 0;
    let unblock!: () => void;
    const blocked = new Promise<void>((r) => unblock = r);
    const blocker = app.db.transaction(async (tx) => {
      await tx.query("INSERT INTO commission_releases (commission_line_id) VALUES ($1)", [lines[1].id]);
      await blocked;
      throw new Error("rollback");
    }).catch(() => {});

    // The release posts line 1 (U2's accounts) and waits before line 2.
    const release = releaseDueCommissions(app.db, new Date(Date.now() + 86_400_000)).then(
      (n) => ({ ok: true as const, n }),
      (err) => ({ ok: false as const, code: (err as { code?: string }).code, err }),
    );
    await waitForLockWait(app.db, "%commission_releases%");

    // The payment credits U1 then U2 (owner order): it takes U1.pending and waits for U2.pending.
    const body = JSON.stringify({
      eventId: crypto.randomUUID(),
      paymentId: pay.body.payment.id,
      amount: pay.body.payment.amount,
      status: "succeeded",
    });
    const hook = app.client().request("POST", "/api/payments/webhook/sandbox", {
      body,
      headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(body) },
    }).then(async (r) => ({ status: r.status, text: await r.text() }));
    // The release holds no ledger account while it waits: the payment goes through meanwhile.
    const early = await Promise.race([hook, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    unblock();
    await blocker;
    const [r, h] = await Promise.all([release, hook]);
    assert.ok(early, "the payment was not held up by a release waiting elsewhere");
    const deadlocks = (retryCounts["40P01"] ?? 0) - retriesBefore;
    assert.equal(h.status, 200, h.text);
    assert.ok(r.ok, `release failed: ${!r.ok ? `${r.code} ${String(r.err)}` : ""}`);
    assert.equal(deadlocks, 0, "the payment was retried after a deadlock (40P01)");
  } finally {
    await app.close();
  }
});
