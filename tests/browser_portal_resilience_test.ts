import assert from "node:assert/strict";
import { type RunningServer, startServer } from "../main.ts";
import { createLogger } from "../lib/log.ts";
import { seedDemoData } from "../services/demo_data.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { earningTotals, teamFigures } from "../services/earnings.ts";
import { openTestDb, TestClient, testSettings } from "./helpers.ts";
import { launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const address = { name: "张三", phone: "13800001234", line1: "人民路 1 号", city: "上海" };

Deno.test(
  "browser: with the socket cut, and separately with the server restarted, while 50 orders are paid, the dashboard catches up to the database with no duplicates",
  opts,
  async () => {
    const testDb = await openTestDb();
    await seedDemoData(testDb.db, { products: 20, members: 5, minDepth: 5 });
    const start = (port = "0") =>
      startServer(testSettings({ PORT: port }), { db: testDb.db, log: createLogger("silent") });
    let server: RunningServer = await start();
    const base = server.url;
    const port = new URL(base).port;
    const client = () => new TestClient((r) => fetch(r), base);
    const browser = await launchBrowser();
    try {
      const a = client();
      const aUser = await a.register("a@example.com", "甲");
      const b = client();
      const bUser = await b.register("b@example.com", "乙", { referralCode: aUser.referralCode });
      const buyer = client();
      await buyer.register("buyer@example.com", "买家", { referralCode: bUser.referralCode });
      const [product] = await testDb.db.query<{ id: string }>(
        "SELECT id FROM products WHERE stock > 100 ORDER BY id LIMIT 1",
      );
      const sandbox = new SandboxProvider(server.settings.paymentSandboxSecret);
      const payMany = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const created = await buyer.json<{ order: { id: string } }>("POST", "/api/orders", {
            json: { items: [{ productId: String(product.id), quantity: 1 }], address },
            headers: { "idempotency-key": crypto.randomUUID() },
          });
          const pay = await buyer.json<{ payment: { id: string; amount: string } }>(
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
          const res = await buyer.request("POST", "/api/payments/webhook/sandbox", {
            body,
            headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(body) },
          });
          assert.equal(res.status, 200);
          await res.body?.cancel();
        }
      };

      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
      const page = await context.newPage();
      await page.goto(`${base}/login?next=/distributor`);
      await page.fill("#f-email", "a@example.com");
      await page.fill("#f-password", "password-123");
      await Promise.all([page.waitForURL(`${base}/distributor`), page.click("main button[type=submit]")]);
      await page.waitForSelector(".live-indicator.live-live");

      // 1. The socket is cut while 25 orders are paid.
      await page.evaluate(() =>
        (globalThis as unknown as { __live: { disconnect(): void }[] }).__live.forEach((s) => s.disconnect())
      );
      await page.waitForSelector(".live-indicator.live-offline");
      await payMany(25);
      await page.evaluate(() =>
        (globalThis as unknown as { __live: { connect(): void }[] }).__live.forEach((s) => s.connect())
      );
      await page.waitForSelector(".live-indicator.live-live");

      // 2. The server restarts while 25 more are paid.
      await server.close();
      await page.waitForSelector(".live-indicator.live-offline");
      server = await start(port);
      await payMany(25);
      await page.waitForSelector(".live-indicator.live-live", { timeout: 15000 });

      const expected = await earningTotals(testDb.db, aUser.id);
      const tiers = await teamFigures(testDb.db, aUser.id);
      const money = (s: string | null) => Math.round(Number(s!.replace("¥", "")) * 100);
      await page.waitForFunction(
        (want) => document.querySelector("[data-testid=commission-pending]")?.textContent === `¥${want}`,
        expected.pending,
        { timeout: 5000 },
      );
      assert.equal(
        money(await page.locator("[data-testid=commission-pending]").textContent()),
        money(expected.pending),
      );
      assert.equal(money(await page.locator("[data-testid=tier2-today]").textContent()), money(tiers[1].today));
      const ids = await page.locator("[data-testid=feed] li").evaluateAll((els) =>
        els.map((e) => e.getAttribute("data-event-id"))
      );
      assert.equal(new Set(ids).size, ids.length, "no duplicated feed entries");
      assert.ok(ids.length >= 20);
      await screenshot(page, "21-dashboard-after-reconnect");
    } finally {
      await browser.close();
      await server.close();
      await testDb.close();
    }
  },
);
