/**
 * Browser, 390×844 and 1440×900: a distributor picks a SKU on the product page (gallery follows, "分享赚"
 * and the poster), buys it now (checkout with just that line; the cart stays), then uses the cart's
 * steppers, tick boxes and select-all; the buy and checkout bars are never under the tab bar; axe-core
 * finds nothing serious; a flash sale's product page counts down to its end; screenshots of each page in both
 * viewports.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { startTestServer, TEST_ADDRESS } from "./helpers.ts";
import { axeProblems, forbidDialogs, launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
];

/** Whether what is drawn at the middle of `el` is `el` itself (or inside it): nothing covers it. */
async function onTop(el: Locator): Promise<boolean> {
  return await el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === node || node.contains(hit));
  });
}

/** On a phone: the bar is drawn above the tab bar, in view, and its buttons are not covered. */
async function assertAboveTabBar(page: Page, bar: string, buttons: string[]) {
  const [barBox, tabBox] = [await page.locator(bar).boundingBox(), await page.locator(".tabbar").boundingBox()];
  assert.ok(barBox && tabBox, "both bars are drawn");
  assert.ok(
    barBox.y + barBox.height <= tabBox.y + 0.5,
    `${bar} ends at ${barBox.y + barBox.height}, tab bar at ${tabBox.y}`,
  );
  assert.ok(barBox.y >= 0 && tabBox.y + tabBox.height <= 844 + 0.5, "both in view");
  for (const b of buttons) assert.ok(await onTop(page.locator(b)), `${b} is not covered`);
}

Deno.test(
  "browser: pick a SKU, share, buy it now, then steppers and select-all in the cart, at 390×844 and 1440×900",
  opts,
  async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    const errors: string[] = [];
    const problems: string[] = [];
    try {
      const admin = server.client();
      assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
      const create = async (body: Record<string, unknown>) => {
        const res = await admin.json<
          { product: { id: string; skus: { id: string; specs: Record<string, string> }[] } }
        >(
          "POST",
          "/api/admin/products",
          { json: body },
        );
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.product;
      };
      const cream = await create({
        name: "玻尿酸保湿面霜",
        category: "beauty",
        price: "129.00",
        costPrice: "60.00",
        stock: 50,
        lowStockThreshold: 2,
      });
      const sample = await create({
        name: "面霜旅行小样",
        category: "beauty",
        price: "19.90",
        costPrice: "5.00",
        stock: 30,
        lowStockThreshold: 2,
      });
      const shirt = await create({
        name: "纯棉圆领T恤",
        category: "apparel",
        skus: [["红", "M", "99.00", 20], ["红", "L", "99.00", 0], ["蓝", "M", "109.00", 20], ["蓝", "L", "109.00", 20]]
          .map(([color, size, price, stock]) => ({
            specs: { 颜色: color, 尺码: size },
            price,
            costPrice: "40.00",
            stock,
            lowStockThreshold: 2,
            ...(color === "蓝" ? { imageUrl: `/images/products/${sample.id}.svg` } : {}),
          })),
      });
      const blueM = shirt.skus.find((s) => s.specs.颜色 === "蓝" && s.specs.尺码 === "M")!.id;
      // A flash sale running for another 2 hours on a cup.
      const cup = await create({
        name: "秒杀保温杯",
        category: "home",
        price: "89.00",
        costPrice: "30.00",
        stock: 40,
        lowStockThreshold: 2,
      });
      await server.db.query(
        `INSERT INTO promotions (product_id, price, starts_at, ends_at)
         VALUES ($1, 59.00, now() - interval '1 hour', now() + interval '2 hours')`,
        [cup.id],
      );

      for (const vp of VIEWPORTS) {
        const phone = vp.width < 768;
        // A distributor (a role given by a manager), signed in in the browser.
        const email = `buyer-${vp.name}@example.com`;
        const userId = (await server.client().register(email, `买家${vp.name}`)).id;
        assert.equal(
          (await admin.json("POST", `/api/admin/users/${userId}/role`, { json: { role: "distributor" } })).status,
          200,
        );
        const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, locale: "zh-CN" });
        const page = await context.newPage();
        forbidDialogs(page, errors);
        page.on("pageerror", (e) => errors.push(`${vp.name}: ${e}`));
        await page.goto(`${server.url}/login?next=/account`);
        await page.fill("#f-email", email);
        await page.fill("#f-password", "password-123");
        await Promise.all([page.waitForURL(`${server.url}/account`), page.click("main button[type=submit]")]);
        const check = async (name: string) => {
          await screenshot(page, `buy-${name}-${vp.name}`);
          const ctx = await browser.newContext({
            viewport: { width: vp.width, height: vp.height },
            locale: "zh-CN",
            bypassCSP: true,
            storageState: await context.storageState(),
          });
          const copy = await ctx.newPage();
          await copy.goto(page.url());
          await copy.waitForLoadState("networkidle");
          problems.push(...await axeProblems(copy, `${vp.name} ${name}`));
          await ctx.close();
        };

        // The flash sale's page: the price panel counts down (hh:mm:ss) to the sale's end, second by second.
        await page.goto(`${server.url}/products/${cup.id}`);
        await page.waitForSelector(".buy-box.ready");
        const timer = page.locator(".price-panel [data-testid=countdown]");
        const before = await timer.textContent() ?? "";
        assert.match(before, /^距结束(01:59|02:00):\d\d$/);
        assert.equal(await page.locator("[data-testid=sku-price]").textContent(), "¥59.00");
        await page.waitForFunction(
          (was) => document.querySelector(".price-panel [data-testid=countdown]")?.textContent !== was,
          before,
          { timeout: 3000 },
        );
        await check("flash");

        // A line already in the cart, which buying now must leave alone.
        await page.goto(`${server.url}/products/${cream.id}`);
        await Promise.all([page.waitForURL(`${server.url}/cart`), page.click("[data-testid=add-to-cart]")]);

        // The product page: gallery, choices, price, share.
        await page.goto(`${server.url}/products/${shirt.id}`);
        await page.waitForSelector(".buy-box.ready");
        assert.equal(await page.locator(".gallery-slide").count(), 2);
        assert.equal(await page.locator(".gallery-dots").isVisible(), phone, "dots on phones");
        assert.equal(await page.locator(".gallery-thumbs").isVisible(), !phone, "thumbnails on desktop");
        if (phone) {
          await assertAboveTabBar(page, "[data-testid=buy-bar]", [
            "[data-testid=add-to-cart]",
            "[data-testid=buy-now]",
          ]);
        }
        await check("product");
        // 立即购买 before choosing: a hint, no navigation.
        await page.click("[data-testid=buy-now]");
        await page.waitForSelector("[data-testid=choose-hint].shown");
        assert.match(await page.locator("[data-testid=choose-hint]").textContent() ?? "", /请选择 颜色 \/ 尺码/);
        assert.match(page.url(), new RegExp(`/products/${shirt.id}$`));
        // Red L has no stock; blue M is ¥109.00, has its own picture, earns 10 % by sharing.
        await page.click("label.sku-value:has(input[value='红'])");
        assert.ok(await page.locator("input[name='spec.尺码'][value='L']").isDisabled());
        await page.click("label.sku-value:has(input[value='蓝'])");
        await page.click("label.sku-value:has(input[value='M'])");
        assert.equal(await page.locator("[data-testid=sku-price]").textContent(), "¥109.00");
        await page.waitForFunction(() =>
          document.querySelector(".gallery-thumb.on")?.getAttribute("href") === "#pic-2"
        );
        await page.waitForFunction(() => {
          const t = document.querySelector<HTMLElement>(".gallery-track")!;
          return Math.abs(t.scrollLeft - t.clientWidth) < 2;
        });
        assert.equal(await page.locator("[data-testid=share-earn]").textContent(), "分享赚 ¥10.90");
        await page.click("[data-testid=share] summary");
        await page.waitForFunction(() =>
          (document.querySelector<HTMLImageElement>(".share-poster")?.naturalWidth ?? 0) > 0
        );
        await page.locator("[data-testid=share]").scrollIntoViewIfNeeded();
        await screenshot(page, `buy-share-${vp.name}`);
        await page.click("[data-testid=share] summary");
        // Two more with the stepper, then buy now: checkout with just this line.
        const plus = page.locator(".buy-qty .qty-btn").nth(1);
        await plus.click();
        await plus.click();
        assert.equal(await page.inputValue("#qty"), "3");
        await Promise.all([
          page.waitForURL(`${server.url}/checkout?buy=${blueM}&qty=3`),
          page.click("[data-testid=buy-now]"),
        ]);
        const lines = page.locator("[data-testid=checkout-lines] li");
        assert.equal(await lines.count(), 1);
        assert.match(await lines.first().textContent() ?? "", /纯棉圆领T恤[\s\S]*蓝[\s\S]*× 3/);
        assert.equal(await page.locator("[data-testid=total]").textContent(), "¥327.00");
        await check("checkout-now");
        await page.fill("#f-name", TEST_ADDRESS.name);
        await page.fill("#f-phone", TEST_ADDRESS.phone);
        await page.fill("#f-line1", TEST_ADDRESS.line1);
        await page.fill("#f-city", TEST_ADDRESS.city);
        await Promise.all([page.waitForURL(/\/orders\/\d+$/), page.click("button[value=place]:visible")]);
        const cartAfter = await (await page.request.get(`${server.url}/api/cart`)).json();
        assert.deepEqual(
          cartAfter.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity]),
          [[cream.id, 1]],
          "buying now left the cart as it was",
        );

        // The cart: a red M and two samples more.
        await page.goto(`${server.url}/products/${shirt.id}`);
        await page.click("label.sku-value:has(input[value='红'])");
        await page.click("label.sku-value:has(input[value='M'])");
        await Promise.all([page.waitForURL(`${server.url}/cart`), page.click("[data-testid=add-to-cart]")]);
        await page.goto(`${server.url}/products/${sample.id}`);
        await page.locator(".buy-qty .qty-btn").nth(1).click();
        await Promise.all([page.waitForURL(`${server.url}/cart`), page.click("[data-testid=add-to-cart]")]);
        await page.waitForSelector(".cart-view.ready");
        const line = (name: string) => page.locator("[data-testid=cart-line]", { hasText: name });
        assert.equal(await page.locator("[data-testid=cart-line]").count(), 3);
        const total = page.locator("[data-testid=cart-total]");
        assert.equal(await total.textContent(), "¥267.80", "129.00 + 99.00 + 2 × 19.90");
        if (phone) await assertAboveTabBar(page, ".cart-bar", ["[data-testid=checkout]", "[data-testid=select-all]"]);
        await check("cart");
        // Steppers: + then −, the line's subtotal and the total follow.
        await line("玻尿酸").getByRole("button", { name: "增加玻尿酸保湿面霜的数量" }).click();
        await page.waitForFunction(() => document.querySelector("[data-testid=cart-total]")?.textContent === "¥396.80");
        assert.equal(await line("玻尿酸").locator("[data-testid=line-total]").textContent(), "¥258.00");
        assert.equal(await line("玻尿酸").locator("input.stepper-input").inputValue(), "2");
        await line("旅行小样").getByRole("button", { name: "减少面霜旅行小样的数量" }).click();
        await page.waitForFunction(() => document.querySelector("[data-testid=cart-total]")?.textContent === "¥376.90");
        assert.ok(
          await line("旅行小样").getByRole("button", { name: "减少面霜旅行小样的数量" }).isDisabled(),
          "1 is the least",
        );
        // Select-all off and on; then one line unticked.
        const all = page.locator("[data-testid=select-all]");
        await all.uncheck();
        await page.waitForFunction(() => document.querySelector("[data-testid=cart-total]")?.textContent === "¥0.00");
        assert.ok(await page.locator("[data-testid=checkout]").isDisabled());
        assert.equal(await page.locator("[data-testid=checkout]").textContent(), "结算(0)");
        await all.check();
        await page.waitForFunction(() => document.querySelector("[data-testid=checkout]")?.textContent === "结算(3)");
        await line("旅行小样").locator("input.check").uncheck();
        await page.waitForFunction(() => document.querySelector("[data-testid=cart-total]")?.textContent === "¥357.00");
        assert.equal(await all.isChecked(), false);
        assert.equal(await page.locator("[data-testid=checkout]").textContent(), "结算(2)");
        await screenshot(page, `buy-cart-ticked-${vp.name}`);
        // Checkout takes the two ticked lines only.
        await Promise.all([page.waitForURL(/\/checkout\?(sel=\d+&){2}pick=1$/), page.click("[data-testid=checkout]")]);
        assert.equal(await page.locator("[data-testid=checkout-lines] li").count(), 2);
        assert.doesNotMatch(await page.locator("[data-testid=checkout-lines]").textContent() ?? "", /旅行小样/);
        // Back in the cart: removing every line ends in the empty state with a way back to the shop.
        await page.goto(`${server.url}/cart`);
        await page.waitForSelector(".cart-view.ready");
        for (let n = 3; n > 0; n--) {
          await Promise.all([
            n === 1 ? page.waitForURL(`${server.url}/cart`, { waitUntil: "load" }) : page.waitForFunction(
              (left) => document.querySelectorAll("[data-testid=cart-line]").length === left,
              n - 1,
            ),
            page.locator("[data-testid=cart-line] .cart-item-remove").first().click(),
          ]);
        }
        await page.waitForSelector("[data-testid=cart-empty]");
        await check("cart-empty");
        await context.close();
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
