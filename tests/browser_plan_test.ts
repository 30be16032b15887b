import assert from "node:assert/strict";
import { startTestServer } from "./helpers.ts";
import { launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "browser: the plan editor shows the compliance checks live, simulates the draft and publishes a new version",
  opts,
  async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" }))
        .newPage();
      await page.goto(`${server.url}/login?next=/admin/plan`);
      await page.fill("#f-email", "admin@test.example");
      await page.fill("#f-password", "admin-password-1");
      await Promise.all([page.waitForURL(`${server.url}/admin/plan`), page.click("main button[type=submit]")]);
      await page.waitForSelector("[data-testid=checks] .check-pass");
      assert.equal(await page.locator("[data-testid=checks] .check-fail").count(), 0);
      await page.fill("#tier-3", "0.01");
      await page.locator("[data-testid=checks] .check-fail").first().waitFor();
      assert.match(await page.locator("[data-testid=checks] .check-fail").first().textContent() ?? "", /4 tiers/);
      assert.ok(await page.locator("button.btn-primary").isDisabled(), "a non-compliant draft cannot be published");
      await screenshot(page, "31-plan-editor-violation");
      await page.fill("#tier-3", "");
      await page.fill("#tier-0", "0.12");
      await page.click("button.btn-ghost:has-text('模拟测算')");
      await page.waitForSelector("[data-testid=simulation]");
      await page.click("button.btn-primary");
      await page.locator("[role=status]", { hasText: "v2" }).waitFor();
      const [plan] = await server.db.query<{ version: number; plan: { tiers: { rate: string }[] } }>(
        "SELECT version, plan FROM commission_plans ORDER BY version DESC LIMIT 1",
      );
      assert.equal(plan.version, 2);
      assert.equal(plan.plan.tiers[0].rate, "0.12");
      await screenshot(page, "32-plan-editor-published");
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
