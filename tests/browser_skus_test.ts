/** Browser: the SKU picker disables combinations without stock, shows the SKU's price, and adds that SKU. */
import assert from "node:assert/strict";
import { startTestServer } from "./helpers.ts";
import { forbidDialogs, launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "browser: a shopper picks colour and size; sold-out combinations are disabled; the cart shows the specs",
  opts,
  async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    const errors: string[] = [];
    try {
      const admin = server.client();
      assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
      const skus = [["红", "M", 5], ["红", "L", 0], ["蓝", "M", 5], ["蓝", "L", 5]].map(([color, size, stock]) => ({
        specs: { 颜色: color, 尺码: size },
        price: color === "蓝" ? "109.00" : "99.00",
        costPrice: "30.00",
        stock,
        lowStockThreshold: 1,
      }));
      const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
        json: { name: "选规格T恤", category: "apparel", skus },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.product.id;

      const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" }))
        .newPage();
      forbidDialogs(page, errors);
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${server.url}/products/${id}`);
      const button = page.locator("[data-testid=add-to-cart]");
      await page.waitForSelector(".buy-box.ready");
      // Nothing chosen yet: adding asks for the choices instead of posting.
      await button.click();
      await page.waitForSelector("[data-testid=choose-hint].shown");
      assert.match(page.url(), new RegExp(`/products/${id}$`));
      await page.click("label.sku-value:has(input[value='红'])");
      assert.ok(await page.locator("input[name='spec.尺码'][value='L']").isDisabled(), "red L has no stock");
      await page.click("label.sku-value:has(input[value='M'])");
      assert.equal(await page.locator("[data-testid=sku-price]").textContent(), "¥99.00");
      await page.click("label.sku-value:has(input[value='蓝'])");
      assert.equal(await page.locator("[data-testid=sku-price]").textContent(), "¥109.00");
      assert.ok(await button.isEnabled());
      assert.equal(await page.locator("label.sku-value.chosen").count(), 2, "one value chosen per axis");
      assert.ok(!(await page.locator("input[name='spec.颜色'][value='红']").isChecked()));
      await screenshot(page, "sku-picker");
      await Promise.all([page.waitForURL(`${server.url}/cart`), button.click()]);
      assert.match(await page.locator("[data-testid=cart-specs]").first().textContent() ?? "", /蓝/);
      assert.match(await page.content(), /¥109\.00/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
