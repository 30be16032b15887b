import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { seedDemoData } from "../services/demo_data.ts";
import { startTestServer } from "./helpers.ts";
import { forbidDialogs, launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function addToCart(page: Page, base: string, productId: string) {
  await page.goto(`${base}/products/${productId}`);
  await Promise.all([page.waitForURL(`${base}/cart`), page.click("[data-testid=add-to-cart]")]);
}

Deno.test(
  "browser: a shopper searches, adds two products, applies a coupon, pays in the sandbox, sees the order turn paid live, then asks for a partial refund",
  opts,
  async () => {
    const server = await startTestServer();
    const base = server.url;
    await seedDemoData(server.db, { products: 200, members: 10, minDepth: 5 });
    const browser = await launchBrowser();
    const errors: string[] = [];
    try {
      const admin = server.client();
      assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
      const coupon = await admin.json("POST", "/api/admin/coupons", {
        json: { code: "SAVE20", kind: "amount_off", value: "20.00", minSubtotal: "100.00" },
      });
      assert.equal(coupon.status, 201);

      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
      const page = await context.newPage();
      forbidDialogs(page, errors);
      await page.goto(`${base}/register`);
      await page.fill("#f-name", "Shopper");
      await page.fill("#f-email", "shopper@example.com");
      await page.fill("#f-password", "password-123");
      await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);

      // Search in Chinese and in English.
      await page.fill("input[name=q]", "面霜");
      await Promise.all([page.waitForURL(/q=/), page.press("input[name=q]", "Enter")]);
      const zhHits = await page.locator(".product-card").count();
      await screenshot(page, "10-search-zh");
      await page.goto(`${base}/?q=cream`);
      const enHits = await page.locator(".product-card").count();
      assert.ok(zhHits > 0 && enHits > 0, `search hits: ${zhHits} / ${enHits}`);
      const hrefs = await page.locator(".product-card").evaluateAll((els) => els.map((e) => e.getAttribute("href")!));
      const first = hrefs[0].split("/").pop()!;
      await page.goto(`${base}/`);
      const others = await page.locator(".product-card").evaluateAll((els) => els.map((e) => e.getAttribute("href")!));
      const second = others.map((h) => h.split("/").pop()!).find((id) => id !== first)!;

      await addToCart(page, base, first);
      await addToCart(page, base, second);
      assert.equal(await page.locator("[data-testid=cart-line]").count(), 2);
      await screenshot(page, "11-cart");

      await Promise.all([page.waitForURL(`${base}/checkout`), page.click("[data-testid=checkout]")]);
      await page.fill("#f-name", "张三");
      await page.fill("#f-phone", "13800001234");
      await page.fill("#f-line1", "人民路 1 号");
      await page.fill("#f-city", "上海");
      await page.fill("#f-couponCode", "SAVE20");
      await page.click("[data-testid=apply-code]");
      await page.waitForSelector("[data-testid=breakdown] .minus");
      const totalText = await page.locator("[data-testid=total]").textContent();
      await screenshot(page, "12-checkout-coupon");
      await Promise.all([page.waitForURL(/\/orders\/\d+$/), page.click("button[value=place]:visible")]);
      const orderUrl = page.url();
      const orderId = orderUrl.split("/").pop()!;
      assert.equal(await page.locator("[data-testid=order-status]").textContent(), "待付款");
      await page.waitForSelector(".live-indicator.live-live");
      const order = await server.db.query<{ total: string; discount: string }>(
        "SELECT total, discount FROM orders WHERE id = $1",
        [orderId],
      );
      assert.equal(order[0].discount, "20.00");
      assert.equal(totalText, `¥${order[0].total}`);

      // Pay in the sandbox in a second tab; the order tab turns "paid" without reloading.
      const [payPage] = await Promise.all([
        context.waitForEvent("page"),
        page.evaluate(() => {
          const form = document.querySelector("form[action$='/pay']") as HTMLFormElement;
          form.target = "_blank";
          form.submit();
        }),
      ]);
      await payPage.waitForSelector("[data-testid=sandbox-amount]");
      assert.equal(await payPage.locator("[data-testid=sandbox-amount]").textContent(), `¥${order[0].total}`);
      await screenshot(payPage, "13-sandbox-pay");
      const navigations: string[] = [];
      page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));
      await payPage.click("button[value=succeeded]");
      await page.locator("[data-testid=order-status]", { hasText: "已付款" }).waitFor({ timeout: 3000 });
      assert.deepEqual(navigations, [], "the order page did not reload");
      await screenshot(page, "14-order-paid-live");

      // A partial refund of one unit of the first line.
      await page.goto(`${orderUrl}/refund`);
      const firstQty = page.locator("input[type=number]").first();
      await firstQty.fill("1");
      await page.fill("#r-reason", "不想要了");
      await Promise.all([page.waitForURL(orderUrl), page.click("main button[type=submit]")]);
      assert.equal(await page.locator("[data-testid=order-status]").textContent(), "售后处理中");
      await screenshot(page, "15-refund-requested");
      const [refund] = await server.db.query<{ status: string; amount: string }>(
        "SELECT status, amount FROM refunds WHERE order_id = $1",
        [orderId],
      );
      assert.equal(refund.status, "requested");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
