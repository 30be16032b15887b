import assert from "node:assert/strict";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { seedDemoData } from "../services/demo_data.ts";
import { startTestServer } from "./helpers.ts";
import { launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const AXE = (axe as unknown as { source: string }).source;
const ROOT = new URL("../", import.meta.url).pathname;

/** axe-core's serious and critical findings (and any heading-order one) on the page as it is. */
async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const result = await (globalThis as any).axe.run(document, { resultTypes: ["violations"] });
    return result.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || v.id === "heading-order")
    .map((v) =>
      `${page.url()}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
    );
}

Deno.test(
  "browser: a manager edits a product in full and reviews a closed settlement period and its statements; pages pass axe",
  opts,
  async () => {
    const server = await startTestServer();
    await seedDemoData(server.db, { products: 12, members: 12, minDepth: 4 });
    const sim = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/simulate.ts"],
      cwd: ROOT,
      env: {
        BASE_URL: server.url,
        RATE: "20",
        COUNT: "20",
        ORDER_SHARE: "0.8",
        PAYMENT_SANDBOX_SECRET: server.settings.paymentSandboxSecret,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(sim.code, 0, new TextDecoder().decode(sim.stderr));
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: "zh-CN",
        bypassCSP: true,
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/login?next=/admin/products`);
      await page.fill("#f-email", "admin@test.example");
      await page.fill("#f-password", "admin-password-1");
      await Promise.all([page.waitForURL(`${server.url}/admin/products`), page.click("main button[type=submit]")]);
      const problems: string[] = [];

      // The catalogue's product name opens the full edit form; a save comes back with "已保存".
      const [product] = await server.db.query<{ id: string; name: string }>(
        "SELECT id, name FROM products ORDER BY id LIMIT 1",
      );
      await Promise.all([
        page.waitForURL(`${server.url}/admin/products/${product.id}/edit`),
        page.click(`a[href="/admin/products/${product.id}/edit"]`),
      ]);
      await page.fill("#f-name", `${product.name} 升级版`);
      await page.fill("#f-specs", "容量: 500 ml\n产地：杭州");
      await page.fill("#f-description", "更温和的配方。");
      await page.uncheck("input[name=featured]");
      await Promise.all([
        page.waitForURL(`${server.url}/admin/products/${product.id}/edit?saved=1`),
        page.click("form.product-form button[type=submit]"),
      ]);
      await page.locator("[role=status]", { hasText: "已保存" }).waitFor();
      const [saved] = await server.db.query<{ name: string; specs: Record<string, string>; featured: boolean }>(
        "SELECT name, specs, featured FROM products WHERE id = $1",
        [product.id],
      );
      assert.deepEqual(saved, {
        name: `${product.name} 升级版`,
        specs: { 容量: "500 ml", 产地: "杭州" },
        featured: false,
      });
      // A bad price comes back beside its field, the typed text kept.
      await page.fill("#f-price", "十块");
      await page.click("form.product-form button[type=submit]");
      await page.locator("#f-price-error").waitFor();
      assert.equal(await page.inputValue("#f-price"), "十块");
      assert.equal(await page.getAttribute("#f-price", "aria-invalid"), "true");
      problems.push(...await axeProblems(page));
      await screenshot(page, "40-admin-product-edit");

      // Close a period through the console, then review it.
      await page.goto(`${server.url}/admin/settlements`);
      await Promise.all([page.waitForLoadState("load"), page.click("main form button[type=submit]")]);
      const [period] = await server.db.query<{ id: string }>(
        "SELECT id FROM settlement_periods ORDER BY id DESC LIMIT 1",
      );
      assert.ok(period, "the period closed");
      await Promise.all([
        page.waitForURL(`${server.url}/admin/settlements/${period.id}`),
        page.click(`a[href="/admin/settlements/${period.id}"]`),
      ]);
      const rows = await page.locator("[data-testid=statements] tbody tr").count();
      const [{ n }] = await server.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM statements WHERE period_id = $1",
        [period.id],
      );
      assert.ok(n > 0, "the simulated sales left statements");
      assert.equal(rows, Math.min(n, 50));
      assert.equal(await page.locator("[data-testid=statements] .status-cancelled").count(), 0, "all reconcile");
      problems.push(...await axeProblems(page));
      await screenshot(page, "41-admin-settlement-review");
      await Promise.all([
        page.waitForURL(/\/admin\/statements\/\d+$/),
        page.locator("[data-testid=statements] tbody tr a").first().click(),
      ]);
      await page.locator("[data-testid=statement-lines]").waitFor();
      problems.push(...await axeProblems(page));
      await screenshot(page, "42-admin-statement");

      // Orders: the list searches; an order's page shows its commission, timeline and the ship form.
      const [paid] = await server.db.query<{ id: string; number: string }>(
        "SELECT id, number FROM orders WHERE status = 'paid' ORDER BY id LIMIT 1",
      );
      await page.goto(`${server.url}/admin/orders`);
      await page.fill("input[name=q]", paid.number);
      await Promise.all([page.waitForURL(/\/admin\/orders\?q=/), page.click("form[role=search] button")]);
      assert.equal(await page.locator(`a[href^="/admin/orders/"]`).count(), 1);
      await Promise.all([
        page.waitForURL(`${server.url}/admin/orders/${paid.id}`),
        page.click(`a[href="/admin/orders/${paid.id}"]`),
      ]);
      await page.locator(".live-indicator.live-live").first().waitFor();
      problems.push(...await axeProblems(page));
      await screenshot(page, "45-admin-order");
      await page.fill("input[name=carrier]", "顺丰");
      await page.fill("input[name=trackingNumber]", "SF1234567890");
      await Promise.all([
        page.waitForURL(`${server.url}/admin/orders/${paid.id}`),
        page.click("form[action$=ship] button"),
      ]);
      await page.locator("[data-testid=shipment]", { hasText: "SF1234567890" }).waitFor();

      // Phone width: the edit form and the review stay usable.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${server.url}/admin/products/${product.id}/edit`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
      assert.ok(overflow <= 1, `the edit page fits a phone (overflow ${overflow}px)`);
      await screenshot(page, "43-admin-product-edit-phone");
      await page.goto(`${server.url}/admin/settlements/${period.id}`);
      await screenshot(page, "44-admin-settlement-review-phone");
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
