import assert from "node:assert/strict";
import { seedDemoData } from "../services/demo_data.ts";
import { analyticsSnapshot } from "../services/analytics.ts";
import { applyAsDistributor, decideApplication } from "../services/programme.ts";
import { findUserById, type UserRow } from "../db/users_repo.ts";
import { createShop } from "../services/shop.ts";
import { approveRefund, requestRefund } from "../services/refunds.ts";
import { startTestServer } from "./helpers.ts";
import { launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ROOT = new URL("../", import.meta.url).pathname;

Deno.test(
  "browser: the analytics home moves live while `deno task simulate` places orders, and agrees with the database at the end",
  opts,
  async () => {
    const server = await startTestServer();
    await seedDemoData(server.db, { products: 30, members: 20, minDepth: 5 });
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" }))
        .newPage();
      const navigations: string[] = [];
      await page.goto(`${server.url}/login?next=/admin`);
      await page.fill("#f-email", "admin@test.example");
      await page.fill("#f-password", "admin-password-1");
      await Promise.all([page.waitForURL(`${server.url}/admin`), page.click("main button[type=submit]")]);
      await page.waitForSelector(".analytics .live-indicator.live-live");
      page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));
      const gmvBefore = await page.locator("[data-testid=gmv]").textContent();
      const before = await analyticsSnapshot(server.db);

      const sim = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/simulate.ts"],
        cwd: ROOT,
        env: {
          BASE_URL: server.url,
          RATE: "10",
          COUNT: "40",
          ORDER_SHARE: "0.6",
          PAYMENT_SANDBOX_SECRET: server.settings.paymentSandboxSecret,
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const out = new TextDecoder().decode(sim.stdout);
      assert.equal(sim.code, 0, new TextDecoder().decode(sim.stderr));
      assert.match(
        out,
        /Done: \d+ members registered, [1-9]\d* orders paid, 0 failures/,
        `${out}\n${new TextDecoder().decode(sim.stderr)}`,
      );

      const db = await analyticsSnapshot(server.db);
      await page.waitForFunction(
        (want) => document.querySelector("[data-testid=gmv]")?.textContent === `¥${want}`,
        db.gmv,
        { timeout: 5000 },
      );
      assert.notEqual(gmvBefore, `¥${db.gmv}`);
      assert.equal(await page.locator("[data-testid=orders]").textContent(), String(db.orders));
      const topNames = await page.locator("[data-testid=top-products] tbody td:first-child").allTextContents();
      assert.deepEqual(topNames, db.topProducts.slice(0, 10).map((p) => p.name));
      // Every derived figure followed the event stream and agrees with a fresh read of the database.
      const pct = (r: string) => `${(Number(r) * 100).toFixed(1)}%`;
      const shown = async (id: string) => await page.locator(`[data-testid=${id}]`).textContent();
      assert.equal(await shown("aov"), `¥${db.averageOrder}`);
      assert.equal(await shown("repurchase"), pct(db.repurchaseRate));
      assert.equal(await shown("ltv"), `¥${db.lifetimeValue}`);
      assert.equal(await shown("slow"), pct(db.slowShare));
      assert.equal(await shown("conversion"), pct(db.conversion));
      assert.ok(Number(db.conversion) > 0 && Number(db.conversion) <= 1, "buyers are counted among the visitors");
      assert.equal(await shown("commission-share"), pct(db.commissionShare));
      assert.equal(await shown("new-members"), String(db.newMembers));
      assert.notEqual(db.slowShare, before.slowShare, "the simulated sales revived slow movers");
      assert.notEqual(db.lifetimeValue, before.lifetimeValue);
      const distributorRows = await page.locator("[data-testid=top-distributors] tbody tr").evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent))
      );
      assert.ok(db.topDistributors.length > 0, "the simulated orders paid tier-1 commission");
      assert.deepEqual(
        distributorRows,
        db.topDistributors.slice(0, 10).map((d) => [d.name, `¥${d.sales}`, `¥${d.commission}`]),
      );

      // A first visit of the day moves visitors (and the conversion rate) live.
      const visitorsBefore = Number(await shown("visitors"));
      const shopper = await browser.newContext();
      await (await shopper.newPage()).goto(`${server.url}/`);
      await shopper.close();
      await page.locator("[data-testid=visitors]", { hasText: String(visitorsBefore + 1) }).waitFor({ timeout: 3000 });
      assert.equal(await shown("conversion"), pct((await analyticsSnapshot(server.db)).conversion));

      // An approved distributor application counts at once.
      const [applicant] = await server.db.query<UserRow>(
        "SELECT * FROM users WHERE role = 'shopper' ORDER BY id DESC LIMIT 1",
      );
      const application = await applyAsDistributor(server.db, applicant, {
        contact: "138 0000 0000",
        channels: "WeChat moments",
        experience: "none",
      });
      const [manager] = await server.db.query<UserRow>("SELECT * FROM users WHERE email = 'admin@test.example'");
      const newDistributors = Number(await shown("new-distributors"));
      await decideApplication(server.db, manager, application.id, true, "ok", null);
      await page.locator("[data-testid=new-distributors]", { hasText: String(newDistributors + 1) }).waitFor({
        timeout: 3000,
      });

      // A refund claws commission back: the commission share, the tiers and the distributors follow at once.
      const shop = createShop(server.db, server.settings.paymentSandboxSecret);
      const [line] = await server.db.query<{ order_id: string; user_id: string; item_id: string }>(
        `SELECT o.id AS order_id, o.user_id, i.id AS item_id FROM orders o JOIN order_items i ON i.order_id = o.id
          WHERE o.status = 'paid' AND EXISTS (SELECT 1 FROM commission_lines l WHERE l.order_item_id = i.id)
          ORDER BY o.id LIMIT 1`,
      );
      const buyerRow = (await findUserById(server.db, String(line.user_id)))!;
      const refund = await requestRefund(shop, String(line.order_id), buyerRow, {
        items: [{ orderItemId: String(line.item_id), quantity: 1 }],
        reason: "不想要了",
        kind: "refund_only",
      });
      await approveRefund(shop, String(refund.id), manager, null);
      const refunded = await analyticsSnapshot(server.db);
      assert.ok(Number(refunded.commission30) < Number(db.commission30), "commission was clawed back");
      await page.waitForFunction(
        (want) => document.querySelector("[data-testid=commission-share]")?.textContent === want,
        pct(refunded.commissionShare),
        { timeout: 3000 },
      );
      const tierAmounts = await page.locator("[data-testid=by-tier] li").allTextContents();
      assert.deepEqual(
        tierAmounts.map((text) => text.replace(/^.*¥/, "")),
        refunded.commissionByTier.map((x) => x.amount),
      );
      const distributorsNow = await page.locator("[data-testid=top-distributors] tbody tr").evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent))
      );
      assert.deepEqual(
        distributorsNow,
        refunded.topDistributors.slice(0, 10).map((d) => [d.name, `¥${d.sales}`, `¥${d.commission}`]),
      );

      // The orders-per-minute chart drew the simulated orders, minute by minute as the database has them.
      const series = JSON.parse(
        await page.locator(".analytics canvas").getAttribute("data-series") ?? "[]",
      ) as { minute: string; orders: number }[];
      const perMinute = (await analyticsSnapshot(server.db)).perMinute;
      const total = (s: { orders: number }[]) => s.reduce((n, m) => n + m.orders, 0);
      assert.ok(total(series) > total(before.perMinute), "the chart grew");
      assert.equal(series.length, 60, "the last hour, minute by minute");
      assert.deepEqual(series.filter((m) => m.orders > 0), perMinute);
      const drawn = await page.locator(".analytics canvas").evaluate((c: HTMLCanvasElement) =>
        c.width > 0 && c.height > 0
      );
      assert.ok(drawn);
      // A product crossing its low-stock threshold appears in the alerts at once.
      const admin = server.client();
      await admin.login("admin@test.example", "admin-password-1");
      const [product] = await server.db.query<
        { id: string; name: string; low_stock_threshold: number; stock: number; reserved: number }
      >(
        "SELECT id, name, low_stock_threshold, stock, reserved FROM products WHERE stock - reserved > low_stock_threshold ORDER BY id LIMIT 1",
      );
      const patched = await admin.json("PATCH", `/api/admin/products/${product.id}`, {
        json: { stock: product.reserved + 1 },
      });
      assert.equal(patched.status, 200);
      await page.locator("[data-testid=stock-alerts]", { hasText: product.name }).waitFor({ timeout: 3000 });
      // Restocked above the threshold, it leaves the alerts on its own.
      const restocked = await admin.json("PATCH", `/api/admin/products/${product.id}`, {
        json: { stock: product.reserved + product.low_stock_threshold + 50 },
      });
      assert.equal(restocked.status, 200);
      await page.locator("[data-testid=stock-alerts] li", { hasText: product.name }).waitFor({
        state: "detached",
        timeout: 3000,
      });
      assert.deepEqual(navigations, [], "no reload");
      await screenshot(page, "30-admin-analytics");
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
