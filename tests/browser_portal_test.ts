import assert from "node:assert/strict";
import { seedDemoData } from "../services/demo_data.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { startTestServer, type TestClient } from "./helpers.ts";
import { forbidDialogs, launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const address = { name: "张三", phone: "13800001234", line1: "人民路 1 号", city: "上海" };

async function payOrder(client: TestClient, secret: string, productId: string, quantity: number) {
  const created = await client.json<{ order: { id: string } }>("POST", "/api/orders", {
    json: { items: [{ productId, quantity }], address },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const pay = await client.json<{ payment: { id: string; amount: string } }>(
    "POST",
    `/api/orders/${created.body.order.id}/pay`,
    {
      json: { method: "sandbox" },
    },
  );
  const body = JSON.stringify({
    eventId: crypto.randomUUID(),
    paymentId: pay.body.payment.id,
    amount: pay.body.payment.amount,
    status: "succeeded",
  });
  const res = await client.json("POST", "/api/payments/webhook/sandbox", {
    body,
    headers: {
      "content-type": "application/json",
      "x-sandbox-signature": await new SandboxProvider(secret).sign(body),
    },
  });
  assert.equal(res.status, 200);
  return created.body.order.id;
}

Deno.test(
  "browser: a distributor's dashboard shows a tier-3 sale and its commission within a second, totals moving by exactly that amount",
  opts,
  async () => {
    const server = await startTestServer();
    await seedDemoData(server.db, { products: 20, members: 5, minDepth: 5 });
    const browser = await launchBrowser();
    const errors: string[] = [];
    try {
      const a = server.client();
      const aUser = await a.register("a@example.com", "分销员甲");
      const b = server.client();
      const bUser = await b.register("b@example.com", "乙", { referralCode: aUser.referralCode });
      const c = server.client();
      const cUser = await c.register("c@example.com", "丙", { referralCode: bUser.referralCode });
      const d = server.client();
      await d.register("d@example.com", "丁", { referralCode: cUser.referralCode });
      const [product] = await server.db.query<{ id: string; price: string }>(
        "SELECT id, price FROM products WHERE stock > 20 ORDER BY id LIMIT 1",
      );

      for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
        const context = await browser.newContext({ viewport, locale: "zh-CN" });
        const page = await context.newPage();
        forbidDialogs(page, errors);
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`${server.url}/login?next=/distributor`);
        await page.fill("#f-email", "a@example.com");
        await page.fill("#f-password", "password-123");
        await Promise.all([page.waitForURL(`${server.url}/distributor`), page.click("main button[type=submit]")]);
        await page.waitForSelector(".live-indicator.live-live");
        const pendingBefore = await page.locator("[data-testid=commission-pending]").textContent();
        const tier3Before = await page.locator("[data-testid=tier3-today]").textContent();

        const orderId = await payOrder(d, server.settings.paymentSandboxSecret, String(product.id), 2);
        // From the payment's commit (the webhook has answered) to the dashboard.
        const started = performance.now();
        const [line] = await server.db.query<{ amount: string }>(
          "SELECT amount FROM commission_lines WHERE order_id = $1 AND beneficiary_id = $2",
          [orderId, aUser.id],
        );
        const [order] = await server.db.query<{ total: string }>("SELECT total FROM orders WHERE id = $1", [orderId]);
        await page.locator("[data-testid=feed] .feed-commission", { hasText: `+¥${line.amount}` }).first().waitFor({
          timeout: 1000,
        });
        await page.locator("[data-testid=feed] .feed-sale", { hasText: `¥${order.total}` }).first().waitFor({
          timeout: 1000,
        });
        // The totals are separate signals from the feed: give them the same second to move.
        await page.waitForFunction(
          ([pending, tier3]) =>
            document.querySelector("[data-testid=commission-pending]")?.textContent !== pending &&
            document.querySelector("[data-testid=tier3-today]")?.textContent !== tier3,
          [pendingBefore, tier3Before],
          { timeout: 1000 },
        );
        assert.ok(performance.now() - started < 1500);
        const money = (s: string | null) => Math.round(Number(s!.replace("¥", "")) * 100);
        assert.equal(
          money(await page.locator("[data-testid=commission-pending]").textContent()) - money(pendingBefore),
          money(line.amount),
        );
        assert.equal(
          money(await page.locator("[data-testid=tier3-today]").textContent()) - money(tier3Before),
          money(order.total),
        );
        await page.waitForTimeout(400);
        await screenshot(page, `20-dashboard-${viewport.width}`);
        await context.close();
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
