import assert from "node:assert/strict";
import { seedDemoData } from "../services/demo_data.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { startTestServer } from "./helpers.ts";
import { axeProblems, launchBrowser } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
/** Where this test's screenshots go (test-output/ is not committed). */
const OUT = new URL("../test-output/look/", import.meta.url);

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
];

Deno.test(
  "browser: shop and back office at 390×844 and 1440×900: screenshots, icons, sidebar or drawer, no serious axe finding",
  opts,
  async () => {
    const server = await startTestServer();
    await seedDemoData(server.db, { products: 12, members: 5, minDepth: 3 });
    // Audit entries with long changes (a long JSON used to run off the right edge).
    const [manager] = await server.db.query<{ id: string }>("SELECT id FROM users WHERE email = 'admin@test.example'");
    for (let i = 1; i <= 3; i++) {
      await appendAudit(server.db, {
        actorId: String(manager.id),
        action: "product.update",
        target: `product:${i}`,
        ip: "127.0.0.1",
        before: { price: "99.00", description: "旧的描述".repeat(30), specs: { 规格: "5 件装", 产地: "成都" } },
        after: { price: "88.00", description: "A new and much longer description ".repeat(12), tags: ["a", "b"] },
      });
    }
    await Deno.mkdir(OUT, { recursive: true });
    const browser = await launchBrowser();
    const problems: string[] = [];
    try {
      for (const vp of VIEWPORTS) {
        const context = await browser.newContext({
          viewport: { width: vp.width, height: vp.height },
          locale: "zh-CN",
          bypassCSP: true,
        });
        const page = await context.newPage();
        const shot = async (name: string) => {
          await page.waitForLoadState("networkidle");
          // Every picture on the page has loaded (the art and thumbnails are served, not broken).
          const broken = await page.evaluate(() =>
            [...document.images].filter((i) => i.complete && i.naturalWidth === 0 && i.loading !== "lazy")
              .map((i) => i.src)
          );
          assert.deepEqual(broken, [], `${name}: broken pictures`);
          await page.screenshot({ path: new URL(`${vp.name}-${name}.png`, OUT).pathname, fullPage: true });
          problems.push(...await axeProblems(page, `${vp.name} ${name}`));
        };
        await page.goto(`${server.url}/`);
        await shot("shop-home");
        // The tab bar (phones) draws Lucide icons, not Unicode symbols that may render as boxes.
        if (vp.width < 768) {
          assert.equal(await page.locator(".tabbar svg.icon").count(), 3);
          const box = await page.locator(".tabbar a[href='/cart'] svg").boundingBox();
          assert.ok(box && box.width >= 20 && box.height >= 20, "the cart icon is drawn");
        }
        await page.goto(`${server.url}/products/1`);
        const hero = page.locator("img.product-hero");
        assert.ok(await hero.evaluate((i: HTMLImageElement) => i.naturalWidth > 0), "the product art is served");
        await shot("product");
        await Promise.all([page.waitForURL(`${server.url}/cart`), page.click("[data-testid=add-to-cart]")]);
        await shot("cart");

        await page.goto(`${server.url}/login?next=/admin`);
        await page.fill("#f-email", "admin@test.example");
        await page.fill("#f-password", "admin-password-1");
        await Promise.all([page.waitForURL(/\/admin$/), page.click("main button[type=submit]")]);
        await shot("admin-home");
        const nav = page.locator("#console-nav");
        if (vp.width >= 1024) {
          assert.ok(await nav.isVisible(), "the sidebar is a column on desktop");
          assert.equal(await page.locator(".console-menu").isVisible(), false);
        } else {
          assert.equal(await nav.isVisible(), false, "the sidebar is a closed drawer on phones");
          await page.click(".console-menu");
          await nav.waitFor({ state: "visible" });
          await page.screenshot({ path: new URL(`${vp.name}-admin-drawer.png`, OUT).pathname });
          problems.push(...await axeProblems(page, `${vp.name} drawer`));
          await page.keyboard.press("Escape");
          await nav.waitFor({ state: "hidden" });
        }
        await page.goto(`${server.url}/admin/products`);
        await shot("admin-products");
        await page.goto(`${server.url}/admin/audit`);
        const details = page.locator("details.json-diff").first();
        await details.locator("summary").click();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
        assert.ok(overflow <= 0, `the audit log does not run off the right edge (${overflow}px)`);
        await shot("admin-audit");
        await page.goto(`${server.url}/admin/settlements`);
        assert.ok(await page.locator("[data-testid=empty-state]").isVisible(), "settlements say they are empty");
        await shot("admin-settlements");
        await context.close();
      }
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
