/**
 * Chromium at 390×844 and 1440×900: a shopper adds an address, claims a coupon, picks two SKUs of one product
 * on its page and adds each to the cart (the buy bar on a phone), checks out both with the coupon from the
 * address book, sees the address and the countdown on the order page, pays in the sandbox and watches the
 * order move live (deadline and pay step gone, no reload), then sees it ship live (carrier, tracking number,
 * 确认收货); a refund decision shows live; a distributor reaches 分销中心 from 我的 on a phone and sees the
 * lived history on the dashboard (commission, team sales, top products). axe-core finds
 * no serious or critical violation on these pages.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { seedDemoData } from "../services/demo_data.ts";
import { startTestServer } from "./helpers.ts";
import { axeProblems, forbidDialogs, launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
] as const;

/** Whichever place-order button this viewport shows (the sticky bar's on a phone, the summary's on a desktop). */
function placeButton(page: Page) {
  return page.locator("button[value=place]:visible").first();
}

Deno.test(
  "browser: address book → claimed coupon → checkout → order page with address and countdown → live payment and refund; 分销中心 from 我的 on a phone",
  opts,
  async () => {
    const server = await startTestServer();
    const base = server.url;
    // A short lived history, so the distributor's dashboard has something to show (as the demo shop has).
    const seeded = await seedDemoData(server.db, {
      products: 12,
      members: 40,
      minDepth: 5,
      history: { days: 20, ordersPerDay: [2, 4], liveDays: 1 },
    }, { strict: true });
    assert.ok(seeded.history && seeded.history.paid > 20, `history: ${JSON.stringify(seeded.history)}`);
    const admin = server.client();
    assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
    const code = "BROWSER30";
    const created = await admin.json("POST", "/api/admin/coupons", {
      json: { code, kind: "amount_off", value: "30.00", minSubtotal: "100.00", claimable: true },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // A hoodie in two colours at two prices: one order buys one of each.
    const made = await admin.json<{ product: { id: string; skus: { id: string; specs: Record<string, string> }[] } }>(
      "POST",
      "/api/admin/products",
      {
        json: {
          name: "撞色连帽卫衣",
          category: "apparel",
          skus: [["红", "79.00"], ["蓝", "89.00"]].map(([color, price]) => ({
            specs: { 颜色: color },
            price,
            costPrice: "30.00",
            stock: 20,
            lowStockThreshold: 2,
          })),
        },
      },
    );
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const hoodie = made.body.product;
    const skuOf = (color: string) => hoodie.skus.find((s) => s.specs.颜色 === color)!.id;
    const browser = await launchBrowser();
    const errors: string[] = [];
    const problems: string[] = [];
    let context: BrowserContext | undefined;
    try {
      for (const vp of VIEWPORTS) {
        context = await browser.newContext({ viewport: vp, locale: "zh-CN", bypassCSP: true });
        const page = await context.newPage();
        forbidDialogs(page, errors);
        page.on("pageerror", (e) => errors.push(`${vp.name}: ${e.message}`));
        const shot = (name: string) => screenshot(page, `so-${vp.name}-${name}`);

        await page.goto(`${base}/register`);
        await page.fill("#f-name", `买家${vp.name}`);
        await page.fill("#f-email", `buyer-${vp.name}@example.com`);
        await page.fill("#f-password", "password-123");
        await Promise.all([page.waitForURL(`${base}/`), page.click("main button[type=submit]")]);

        // 我的 → 收货地址 → 新增: a wrong phone first (the message sits by the field), then a good address.
        await page.goto(`${base}/account`);
        await shot("01-account");
        problems.push(...await axeProblems(page, `${vp.name} /account`));
        await Promise.all([page.waitForURL(`${base}/account/addresses`), page.click("[data-testid=hub-addresses]")]);
        await page.getByRole("link", { name: "新增收货地址" }).first().click();
        await page.waitForURL(`${base}/account/addresses/new`);
        await page.fill("#f-name", "王小明");
        await page.fill("#f-phone", "12");
        await page.fill("#f-city", "上海");
        await page.fill("#f-line1", "浦东新区世纪大道 100 号");
        await page.click("[data-testid=save-address]");
        await page.waitForSelector("#f-phone-error");
        assert.match(await page.locator("#f-phone-error").textContent() ?? "", /手机号/);
        await shot("02-address-invalid");
        problems.push(...await axeProblems(page, `${vp.name} /account/addresses/new (errors)`));
        await page.fill("#f-phone", "13912345678");
        await Promise.all([
          page.waitForURL(/\/account\/addresses\?done=saved/),
          page.click("[data-testid=save-address]"),
        ]);
        assert.equal(await page.locator("[data-testid=address-card]").count(), 1);
        await shot("03-addresses");
        problems.push(...await axeProblems(page, `${vp.name} /account/addresses`));

        // Claim the coupon from the shop's 领券 strip.
        await page.goto(`${base}/`);
        await Promise.all([
          page.waitForURL(/\/account\/coupons/),
          page.click(`form[action="/coupons/${code}/claim"] button`),
        ]);
        assert.match(await page.locator("[data-testid=notice]").textContent() ?? "", new RegExp(code));

        // On the hoodie's page: 红 into the cart, then 蓝, with the buy box's own buttons (the buy bar on a phone).
        for (const [color, price] of [["红", "¥79.00"], ["蓝", "¥89.00"]]) {
          await page.goto(`${base}/products/${hoodie.id}`);
          await page.waitForSelector(".buy-box.ready");
          await page.click(`label.sku-value:has(input[value='${color}'])`);
          assert.equal(await page.locator("[data-testid=sku-price]").textContent(), price);
          const add = page.locator("[data-testid=buy-bar] [data-testid=add-to-cart]");
          if (vp.name === "phone") {
            const bar = await page.locator("[data-testid=buy-bar]").boundingBox();
            assert.ok(bar && bar.y + bar.height <= vp.height, "the buy bar is in view on a phone");
          }
          if (color === "红") await shot("04a-product-sku");
          await Promise.all([page.waitForURL(`${base}/cart`), add.click()]);
        }
        // The cart holds both SKUs; 结算 → 确认订单: the default address chosen, the coupon picked.
        await page.waitForSelector(".cart-view.ready");
        assert.equal(await page.locator("[data-testid=cart-line]").count(), 2);
        await Promise.all([page.waitForURL(/\/checkout(\?|$)/), page.click("[data-testid=checkout]")]);
        assert.ok(await page.locator("[data-testid=address-option] input").first().isChecked());
        assert.equal(await page.locator("[data-testid=order-line]").count(), 2);
        const choice = page.locator("[data-testid=coupon-choice]", { hasText: code });
        assert.match(await choice.textContent() ?? "", /本单可省 ¥30\.00/);
        await shot("04-checkout");
        problems.push(...await axeProblems(page, `${vp.name} /checkout`));
        await Promise.all([page.waitForLoadState("load"), choice.locator("button[name=pick]").click()]);
        await page.locator("[data-testid=coupon-choice].is-chosen", { hasText: code }).waitFor();
        const shownTotal = (await page.locator("[data-testid=total]").textContent())!;
        await shot("05-checkout-coupon");
        await Promise.all([page.waitForURL(/\/orders\/\d+$/), placeButton(page).click()]);
        const orderUrl = page.url();
        const orderId = orderUrl.split("/").pop()!;
        const viewed = await page.request.get(`${base}/api/orders/${orderId}`);
        assert.equal(viewed.status(), 200);
        const { order } = await viewed.json() as {
          order: { total: string; discount: string; items: { productId: string; skuId: string; quantity: number }[] };
        };
        assert.deepEqual(
          order.items.map((i) => [i.productId, i.skuId, i.quantity]).sort(),
          [[hoodie.id, skuOf("红"), 1], [hoodie.id, skuOf("蓝"), 1]].sort(),
          "two lines of the hoodie, one per SKU",
        );
        assert.equal(order.discount, "30.00", "the claimed coupon took 30.00 off");
        assert.equal(shownTotal, `¥${order.total}`, "the order costs what checkout showed");

        // The order page: address, deadline in shop time and a countdown that ticks.
        await page.waitForSelector(".live-indicator.live-live");
        assert.match(await page.locator("[data-testid=order-address]").textContent() ?? "", /王小明.*13912345678/);
        assert.doesNotMatch(await page.locator("main").textContent() ?? "", /UTC/);
        const first = await page.locator("[data-testid=countdown]").textContent();
        assert.match(first ?? "", /^剩余 \d+:\d\d$/);
        await page.waitForFunction(
          (before) => document.querySelector("[data-testid=countdown]")?.textContent !== before,
          first,
          { timeout: 4000 },
        );
        await shot("06-order-unpaid");
        problems.push(...await axeProblems(page, `${vp.name} /orders/:id (unpaid)`));

        // Pay in the sandbox in another tab; this tab moves live: paid, no deadline, no pay step, no reload.
        const [payPage] = await Promise.all([
          context.waitForEvent("page"),
          page.evaluate(() => {
            const form = document.querySelector("form[action$='/pay']") as HTMLFormElement;
            form.target = "_blank";
            form.submit();
          }),
        ]);
        await payPage.waitForSelector("[data-testid=sandbox-amount]");
        const navigations: string[] = [];
        page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));
        await payPage.click("button[value=succeeded]");
        await page.locator("[data-testid=order-status]", { hasText: "已付款" }).waitFor({ timeout: 5000 });
        await page.locator("[data-testid=pay-deadline]").waitFor({ state: "detached", timeout: 2000 });
        assert.equal(await page.locator(".steps").count(), 0, "the pay step is gone");
        assert.equal(await page.locator("[data-testid=pay]").count(), 0);
        assert.deepEqual(navigations, [], "the order page did not reload");
        await payPage.close();
        await shot("07-order-paid-live");

        // A manager ships it while the buyer looks: the carrier, tracking number and 确认收货 appear, no reload.
        assert.equal(await page.locator("[data-testid=shipment]").count(), 0);
        const tracking = `SF${Date.now()}`;
        const shipped = await admin.json("POST", `/api/admin/orders/${orderId}/ship`, {
          json: { carrier: "顺丰速运", trackingNumber: tracking },
        });
        assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
        await page.locator("[data-testid=order-status]", { hasText: "已发货" }).waitFor({ timeout: 5000 });
        await page.locator("[data-testid=shipment] [data-testid=tracking]", { hasText: tracking }).waitFor();
        const card = await page.locator("[data-testid=shipment]").textContent() ?? "";
        assert.match(card, /顺丰速运/);
        assert.match(card, /\d{4}-\d\d-\d\d \d\d:\d\d 发货/);
        await page.getByRole("button", { name: "确认收货" }).waitFor();
        assert.deepEqual(navigations, [], "the order page did not reload");
        await page.locator("[data-testid=shipment]").scrollIntoViewIfNeeded();
        await shot("07b-order-shipped-live");
        problems.push(...await axeProblems(page, `${vp.name} /orders/:id (shipped)`));

        await page.goto(`${base}/orders`);
        assert.equal(await page.locator("[data-testid=order-card] img").count(), 2, "a picture per line");
        assert.match(
          await page.locator("[data-testid=order-date]").first().textContent() ?? "",
          /^\d{4}-\d\d-\d\d \d\d:\d\d$/,
        );
        await shot("08-orders");
        problems.push(...await axeProblems(page, `${vp.name} /orders`));

        if (vp.name === "desktop") {
          // A refund request approved by a manager: the record says 已同意 without a reload.
          await page.goto(orderUrl);
          const view = await page.request.get(`${base}/api/orders/${orderId}`);
          const itemId = (await view.json()).order.items[0].id;
          const asked = await page.request.post(`${base}/api/orders/${orderId}/refunds`, {
            headers: { origin: base },
            data: { items: [{ orderItemId: itemId, quantity: 1 }], reason: "买多了" },
          });
          assert.equal(asked.status(), 201);
          const refundId = (await asked.json()).refund.id;
          await page.reload();
          await page.waitForSelector(".live-indicator.live-live");
          assert.equal(await page.locator("[data-testid=refund-status]").textContent(), "待审核");
          const before: string[] = [];
          page.on("framenavigated", (f) => f === page.mainFrame() && before.push(f.url()));
          assert.equal((await admin.json("POST", `/api/admin/refunds/${refundId}/approve`)).status, 200);
          await page.locator("[data-testid=refund-status]", { hasText: "已同意" }).waitFor({ timeout: 5000 });
          assert.deepEqual(before, [], "no reload");
          await shot("09-refund-approved-live");
          problems.push(...await axeProblems(page, `${vp.name} /orders/:id (refund)`));
        }
        await context.close();
        context = undefined;
      }

      // A distributor on a phone: 我的 in the tab bar, then 分销中心.
      context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN", bypassCSP: true });
      const page = await context.newPage();
      forbidDialogs(page, errors);
      await page.goto(`${base}/login`);
      await page.fill("#f-email", "distributor@example.com");
      await page.fill("#f-password", "demo-distributor-1");
      await Promise.all([page.waitForURL(`${base}/`), page.click("main button[type=submit]")]);
      assert.equal(await page.locator(".nav").isVisible(), false, "the header menu is hidden on a phone");
      await Promise.all([page.waitForURL(`${base}/account`), page.click(".tabbar a[href='/account']")]);
      await screenshot(page, "so-phone-10-distributor-account");
      problems.push(...await axeProblems(page, "phone /account (distributor)"));
      await Promise.all([page.waitForURL(`${base}/distributor`), page.click("[data-testid=hub-distributor]")]);
      await page.waitForLoadState("networkidle");
      await page.waitForSelector(".live-indicator.live-live");
      // The dashboard shows the lived history: commission earned and team sales over 30 days, the top products.
      const earned = await Promise.all(
        ["month", "pending", "available", "paid"].map((k) =>
          page.locator(`[data-testid=commission-${k}]`).textContent()
        ),
      );
      assert.ok(earned.some((v) => v !== "¥0.00"), `commission figures: ${earned.join(" ")}`);
      const d30 = await page.locator("#dash-team ~ table tbody tr").first().locator("td").nth(3).textContent();
      assert.notEqual(d30, "¥0.00", "tier-1 sales over 30 days");
      assert.ok(await page.locator("#dash-charts ~ ol li").count() > 0, "top products listed");
      await screenshot(page, "so-phone-11-distributor-centre");
      assert.deepEqual(problems, []);
      assert.deepEqual(errors, []);
    } finally {
      await context?.close();
      await browser.close();
      await server.close();
    }
  },
);
