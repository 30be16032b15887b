/**
 * Browser: a manager arranges the shop home in the console (首页装修) — adds a banner with generated art,
 * one with an uploaded picture, a featured block of chosen products (reordered in the chooser), moves a
 * banner up — and an anonymous shopper then sees it on the home: the banners in that order in a
 * scroll-snapping carousel with working controls, the category entrances, the block's products in order
 * and a flash sale counting down in the browser. At 390×844 and 1440×900, screenshots of every page,
 * axe-core with no serious or critical violation.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { startTestServer } from "./helpers.ts";
import { axeProblems, forbidDialogs, launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "browser: a manager arranges the home (banners, a featured block, order) and the shop shows it, phone and desktop",
  opts,
  async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    const errors: string[] = [];
    const problems: string[] = [];
    try {
      const admin = server.client();
      assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
      const made: Record<string, string> = {};
      for (
        const [name, category, price] of [
          ["晨露保湿面霜", "beauty", "129.00"],
          ["山谷有机乌龙茶", "food", "68.00"],
          ["云朵蓝牙耳机", "digital", "299.00"],
          ["小满婴儿湿巾", "baby", "39.90"],
        ]
      ) {
        const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
          json: { name, category, price, costPrice: "10.00", stock: 80, lowStockThreshold: 5 },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        made[name] = res.body.product.id;
      }
      // A flash sale running now: the strip counts down to its end in the browser.
      await server.db.query(
        `INSERT INTO promotions (product_id, price, starts_at, ends_at)
         VALUES ($1, 49.00, now() - interval '1 hour', now() + interval '3 hours')`,
        [made["山谷有机乌龙茶"]],
      );
      const picture = await sharp({
        create: { width: 1200, height: 600, channels: 3, background: { r: 236, g: 120, b: 60 } },
      }).png().toBuffer();

      for (
        const [label, viewport] of [["390", { width: 390, height: 844 }], ["1440", {
          width: 1440,
          height: 900,
        }]] as const
      ) {
        await server.db.query("DELETE FROM home_banners");
        await server.db.query("DELETE FROM home_blocks");
        const context = await browser.newContext({ viewport, locale: "zh-CN", bypassCSP: true });
        const page = await context.newPage();
        forbidDialogs(page, errors);
        page.on("pageerror", (e) => errors.push(`${label}: ${e}`));
        await page.goto(`${server.url}/login?next=/admin/home`);
        await page.fill("#f-email", "admin@test.example");
        await page.fill("#f-password", "admin-password-1");
        await Promise.all([page.waitForURL(`${server.url}/admin/home`), page.click("main button[type=submit]")]);
        assert.equal(await page.locator("[data-testid=empty-state]").count(), 2, "both lists start empty");
        await screenshot(page, `home-admin-empty-${label}`);
        problems.push(...await axeProblems(page, `${label} /admin/home (empty)`));

        // A banner with generated art, linking to a category.
        await page.click("a[href='/admin/home/banners/new'] >> nth=0");
        await page.waitForURL(`${server.url}/admin/home/banners/new`);
        await page.fill("#f-title", `美妆节${label}`);
        await page.fill("#f-subtitle", "精华面霜限时特惠");
        await page.click("label.segment:has(input[name=linkKind][value=category])");
        await page.selectOption("#f-linkCategory", "beauty");
        await page.click("label.theme-choice:has(input[value=rose])");
        await page.click("label.icon-choice:has(input[value=sparkles])");
        await screenshot(page, `home-admin-banner-form-${label}`);
        problems.push(...await axeProblems(page, `${label} banner form`));
        await Promise.all([
          page.waitForURL(/\/admin\/home\?done=created$/),
          page.click("form.arrange-form button[type=submit]"),
        ]);
        await page.locator("[role=status]", { hasText: "已创建" }).waitFor();

        // A bad path is refused beside its field, and nothing is created.
        await page.goto(`${server.url}/admin/home/banners/new`);
        await page.fill("#f-title", "坏链接");
        await page.click("label.segment:has(input[name=linkKind][value=path])");
        await page.fill("#f-linkPath", "//evil.example");
        await page.click("form.arrange-form button[type=submit]");
        await page.locator("#f-linkPath-error").waitFor();
        assert.match(await page.locator("#f-linkPath-error").textContent() ?? "", /以 \/ 开头/);
        assert.equal(await page.inputValue("#f-title"), "坏链接", "what was typed stays");

        // A banner with an uploaded picture, linking to a product.
        await page.fill("#f-title", `耳机上新${label}`);
        await page.click("label.segment:has(input[name=linkKind][value=product])");
        await page.selectOption("#f-linkProduct", made["云朵蓝牙耳机"]);
        await page.click("label.segment:has(input[name=picture][value=upload])");
        await page.setInputFiles("#f-image", { name: "banner.png", mimeType: "image/png", buffer: picture });
        await Promise.all([
          page.waitForURL(/\/admin\/home\?done=created$/),
          page.click("form.arrange-form button[type=submit]"),
        ]);

        // A featured block of chosen products, the last ticked moved up to first.
        await page.click("a[href='/admin/home/blocks/new'] >> nth=0");
        await page.waitForURL(`${server.url}/admin/home/blocks/new`);
        await page.fill("#f-title", `店长推荐${label}`);
        await page.fill("#f-subtitle", "品质之选");
        await page.click("label.icon-choice:has(input[value=crown])");
        await page.fill(".chooser-filter", "乌龙");
        await page.check(`input[name=productIds][value='${made["山谷有机乌龙茶"]}']`);
        await page.fill(".chooser-filter", "");
        await page.check(`input[name=productIds][value='${made["小满婴儿湿巾"]}']`);
        await page.click(`button[aria-label='上移“小满婴儿湿巾”']`);
        assert.equal(await page.locator(".chooser-count").textContent(), "已选 2 件");
        await screenshot(page, `home-admin-block-form-${label}`);
        problems.push(...await axeProblems(page, `${label} block form`));
        await Promise.all([
          page.waitForURL(/\/admin\/home\?done=created$/),
          page.click("form.arrange-form button[type=submit]"),
        ]);

        // The picture banner moves above the art banner.
        const rows = page.locator("[data-testid=arrange-banners] > li");
        assert.equal(await rows.count(), 2);
        await Promise.all([
          page.waitForURL(/\/admin\/home\?done=moved$/),
          page.click(`button[aria-label='上移“耳机上新${label}”']`),
        ]);
        assert.match(await rows.nth(0).textContent() ?? "", new RegExp(`耳机上新${label}`));
        await screenshot(page, `home-admin-arranged-${label}`);
        problems.push(...await axeProblems(page, `${label} /admin/home`));
        const audited = await server.db.query<{ action: string }>(
          "SELECT DISTINCT action FROM audit_log WHERE action LIKE 'home.%' ORDER BY action",
        );
        assert.deepEqual(audited.map((a) => a.action), ["home.banner.create", "home.banner.move", "home.block.create"]);

        // An anonymous shopper sees the arrangement on the (kept) home page.
        const shopper = await browser.newContext({ viewport, locale: "zh-CN", bypassCSP: true });
        const shop = await shopper.newPage();
        forbidDialogs(shop, errors);
        shop.on("pageerror", (e) => errors.push(`${label} shop: ${e}`));
        await shop.emulateMedia({ reducedMotion: "reduce" });
        await shop.goto(`${server.url}/`);
        const titles = await shop.locator(".banner-title").allTextContents();
        assert.deepEqual(titles, [`耳机上新${label}`, `美妆节${label}`]);
        assert.equal(await shop.locator(".banner").nth(0).getAttribute("href"), `/products/${made["云朵蓝牙耳机"]}`);
        assert.equal(await shop.locator(".banner").nth(1).getAttribute("href"), "/?category=beauty");
        assert.match(
          await shop.locator(".banner-img").getAttribute("src") ?? "",
          /^\/images\/banners\/\d+\.webp\?w=960&v=/,
        );
        const img = await shop.evaluate(async (src) => {
          const res = await fetch(src);
          return { type: res.headers.get("content-type"), size: (await res.arrayBuffer()).byteLength };
        }, (await shop.locator(".banner-img").getAttribute("src"))!);
        assert.equal(img.type, "image/webp");
        assert.ok(img.size > 0);
        // Reduced motion: the carousel does not move by itself; the dots still show a slide.
        await shop.locator("[data-testid=banner-toggle][aria-label='播放轮播']").waitFor();
        const left = await shop.locator(".banner-track").evaluate((el) => el.scrollLeft);
        await shop.waitForTimeout(5600);
        assert.equal(await shop.locator(".banner-track").evaluate((el) => el.scrollLeft), left, "no auto-advance");
        const at = (slide: number) =>
          shop.waitForFunction((n) => {
            const t = document.querySelector(".banner-track")!;
            return Math.abs(t.scrollLeft - n * t.clientWidth) < 2;
          }, slide);
        await shop.click("button.banner-dot >> nth=1");
        await at(1);
        assert.equal(await shop.locator("button.banner-dot.active").getAttribute("aria-label"), "查看第 2 张");
        await shop.click("button.banner-dot >> nth=0");
        await at(0);
        // The category entrances and the block in the chosen order.
        assert.equal(await shop.locator("[data-testid=entrances] a[href='/?category=beauty']").count(), 1);
        const block = shop.locator("section.home-section", { hasText: `店长推荐${label}` });
        assert.deepEqual(await block.locator(".product-name").allTextContents(), ["小满婴儿湿巾", "山谷有机乌龙茶"]);
        // The flash sale counts down in the browser, from its absolute end.
        const countdown = shop.locator("[data-testid=flash-strip] [data-testid=countdown]").first();
        await countdown.waitFor();
        const first = await countdown.textContent();
        assert.match(first ?? "", /距结束\s*0[23]:\d\d:\d\d/);
        await shop.waitForFunction((before) => {
          const now = document.querySelector("[data-testid=flash-strip] [data-testid=countdown]")?.textContent;
          return now && now !== before;
        }, first);
        await screenshot(shop, `home-shop-${label}`);
        problems.push(...await axeProblems(shop, `${label} /`));

        // Without reduced motion the carousel moves on by itself.
        const moving = await browser.newContext({ viewport, locale: "zh-CN" });
        const live = await moving.newPage();
        await live.goto(`${server.url}/`);
        await live.locator("[data-testid=banner-toggle][aria-label='暂停轮播']").waitFor();
        await live.waitForFunction(
          () => {
            const t = document.querySelector(".banner-track")!;
            return t.scrollLeft > t.clientWidth / 2;
          },
          undefined,
          { timeout: 9000 },
        );
        await moving.close();
        await shopper.close();
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
