import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { buyAndPay, startTestServer } from "./helpers.ts";
import { launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function signIn(page: Page, url: string) {
  await page.goto(`${url}/login?next=/admin/plan`);
  await page.fill("#f-email", "admin@test.example");
  await page.fill("#f-password", "admin-password-1");
  await Promise.all([page.waitForURL(`${url}/admin/plan`), page.click("main button[type=submit]")]);
}

const simState = (page: Page) => page.locator("section.plan-sim").getAttribute("data-state");

Deno.test(
  "browser: the plan editor checks the draft live, simulates it by itself, marks a stale result, confirms what changes and publishes the version it was based on",
  opts,
  async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    try {
      // A three-member chain with two paid orders, so the what-if has something to replay.
      const admin = server.client();
      await admin.login("admin@test.example", "admin-password-1");
      const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
        json: {
          name: "护手霜",
          category: "beauty",
          price: "100.00",
          costPrice: "40.00",
          stock: 50,
          lowStockThreshold: 5,
        },
      });
      assert.equal(product.status, 201, JSON.stringify(product.body));
      const a = server.client();
      const aUser = await a.register("plan-a@example.com", "甲");
      const b = server.client();
      const bUser = await b.register("plan-b@example.com", "乙", { referralCode: aUser.referralCode });
      const buyer = server.client();
      await buyer.register("plan-c@example.com", "丙", { referralCode: bUser.referralCode });
      await buyAndPay(buyer, server.settings.paymentSandboxSecret, product.body.product.id, 2);
      await buyAndPay(buyer, server.settings.paymentSandboxSecret, product.body.product.id, 1);

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
      const page = await context.newPage();
      const simulated: string[] = [];
      page.on("request", (r) => {
        if (r.url().endsWith("/commission-plan/simulate")) simulated.push(r.postData() ?? "");
      });
      // A slow answer for the draft with 13 % at tier 1: it must never be shown once the draft moved on.
      await page.route("**/api/admin/commission-plan/simulate", async (route) => {
        const body = JSON.parse(route.request().postData() ?? "{}");
        if (body.plan?.tiers?.[0]?.rate !== "0.13") return route.continue();
        await new Promise((r) => setTimeout(r, 1500));
        await route.fulfill({
          json: {
            simulation: { orders: 1, sales: "1.00", payout: "999.00", payoutShare: "0.9", actualPayout: "0.00" },
          },
        }).catch(() => {});
      });
      await signIn(page, server.url);

      // The plan in force passes every check and is simulated without pressing anything.
      await page.waitForSelector("[data-testid=checks] .check-pass");
      assert.equal(await page.locator("[data-testid=checks] .check-fail").count(), 0);
      assert.equal(await page.locator("[data-testid=checks] li").count(), 5);
      assert.match(await page.locator("[data-check=rate_cap]").textContent() ?? "", /不超过计佣基数的 30%/);
      await page.waitForSelector("section.plan-sim[data-state=current]");
      assert.equal(await page.locator("[data-testid=sim-payout]").textContent(), "¥45.00", "10/5 % of ¥300");
      assert.ok(await page.locator("[data-testid=publish]").isDisabled(), "nothing to publish yet");
      assert.match(await page.locator("#plan-publish-hint").textContent() ?? "", /相同/);
      assert.equal(await page.locator("#spendThreshold").count(), 0, "the threshold only shows for its eligibility");

      // A fourth tier: the check fails as it is typed, the shown result is marked stale and publishing is off.
      await page.fill("#tier-3", "0.01");
      await page.locator("[data-check=max_tiers].check-fail").waitFor();
      assert.match(await page.locator("[data-check=max_tiers]").textContent() ?? "", /设置了 4 级，最多允许 3 级/);
      assert.equal(await simState(page), "stale-waiting");
      assert.equal(await page.locator("[data-testid=simulation]").getAttribute("data-current"), "false");
      assert.match(await page.locator("[data-testid=sim-status]").textContent() ?? "", /已过期/);
      assert.ok(await page.locator("[data-testid=publish]").isDisabled(), "a non-compliant draft cannot be published");
      await page.evaluate(() => scrollTo(0, 0));
      await screenshot(page, "31-plan-editor-violation");

      // Invalid input is refused by the same schema the API uses, next to its field.
      await page.fill("#tier-3", "");
      await page.fill("#capRate", "1.5");
      await page.locator("#capRate-error").waitFor();
      assert.equal(await page.locator("[data-testid=checks-blocked]").count(), 1);
      assert.ok(await page.locator("[data-testid=publish]").isDisabled());
      await page.fill("#capRate", "0.30");

      // A slow simulation of an earlier draft is cancelled and never shown over the current draft's result.
      const before = simulated.length;
      await page.fill("#tier-0", "0.13");
      await page.waitForTimeout(900); // the 0.13 draft's request is out, held back by the route
      assert.ok(simulated.slice(before).some((b) => b.includes('"0.13"')), "the 13 % draft was sent");
      await page.fill("#tier-0", "0.12");
      assert.equal(await simState(page), "stale", "a result of an earlier draft is marked at once");
      assert.ok(await page.locator("[data-testid=publish]").isDisabled(), "no publishing on a stale result");
      // No button: the current draft's result appears by itself.
      await page.waitForSelector("section.plan-sim[data-state=current]");
      await page.waitForTimeout(1200); // past the moment the slow 13 % answer would have arrived
      assert.equal(await simState(page), "current");
      const payout = await page.locator("[data-testid=sim-payout]").textContent();
      assert.notEqual(payout, "¥999.00", "the out-of-date answer is ignored");
      assert.equal(payout, "¥51.00", "12/5 % of ¥300");
      assert.equal(await page.locator("button", { hasText: "模拟测算" }).count(), 0, "no simulate button is needed");

      // Fields the plan depends on: the spend threshold (for that eligibility) and the payout settings.
      await page.selectOption("#plan-eligibility", "spend_threshold");
      await page.fill("#spendThreshold", "abc");
      await page.locator("#spendThreshold-error").waitFor();
      assert.ok(await page.locator("[data-testid=publish]").isDisabled());
      await page.fill("#spendThreshold", "300.00");
      await page.selectOption("#settlementPeriod", "weekly");
      await page.fill("#minWithdrawal", "20.00");
      await page.waitForSelector("section.plan-sim[data-state=current]");
      await page.locator("[data-testid=publish]:enabled").waitFor();

      // Publishing asks first, showing what changes against the plan in force.
      await page.click("[data-testid=publish]");
      const confirm = page.locator("[data-testid=confirm]");
      await confirm.waitFor();
      assert.match(await confirm.locator("h3").textContent() ?? "", /确认发布 v2/);
      const diff = await confirm.locator("[data-testid=diff] li").allTextContents();
      assert.deepEqual(diff, [
        "第 1 级10%→12%",
        "谁可以获得佣金所有会员→累计消费达标",
        "消费门槛（元）—→¥300.00",
        "结算周期每月→每周",
        "最低提现金额（元）¥10.00→¥20.00",
      ]);
      assert.match(
        await confirm.textContent() ?? "",
        /草案佣金 ¥0\.00，实际佣金 ¥45\.00/,
        "nobody upline has spent ¥300",
      );
      await page.evaluate(() => scrollTo(0, 0));
      await screenshot(page, "32-plan-editor-confirm");
      await page.click("[data-testid=confirm-publish]");
      await page.locator("[data-testid=plan-message]", { hasText: "已发布 v2" }).waitFor();
      assert.match(await page.locator("[data-testid=version]").textContent() ?? "", /v2/);
      const [plan] = await server.db.query<{ version: number; plan: Record<string, unknown> }>(
        "SELECT version, plan FROM commission_plans ORDER BY version DESC LIMIT 1",
      );
      assert.equal(plan.version, 2);
      assert.deepEqual(plan.plan.tiers, [{ rate: "0.12" }, { rate: "0.05" }, { rate: "0.02" }]);
      assert.equal(plan.plan.eligibility, "spend_threshold");
      assert.equal(plan.plan.spendThreshold, "300.00");
      assert.equal(plan.plan.settlementPeriod, "weekly");
      assert.equal(plan.plan.minWithdrawal, "20.00");
      assert.ok(await page.locator("[data-testid=publish]").isDisabled(), "the published draft has nothing new");
      await page.evaluate(() => scrollTo(0, 0));
      await screenshot(page, "33-plan-editor-published");

      // Someone else publishes v3 meanwhile: this editor's publish (based on v2) is refused, nothing changes.
      await page.fill("#holdDays", "10");
      await page.locator("[data-testid=publish]:enabled").waitFor();
      const other = await admin.json("PUT", "/api/admin/commission-plan", {
        json: {
          tiers: [{ rate: "0.08" }],
          base: "paid_amount",
          eligibility: "everyone",
          selfPurchase: false,
          holdDays: 7,
        },
      });
      assert.equal(other.status, 200);
      await page.click("[data-testid=publish]");
      await page.click("[data-testid=confirm-publish]");
      await page.locator("[data-testid=plan-message]", { hasText: "v3" }).waitFor();
      assert.match(await page.locator("[data-testid=plan-message]").textContent() ?? "", /已被他人更新为 v3/);
      const [latest] = await server.db.query<{ version: number }>(
        "SELECT max(version)::int AS version FROM commission_plans",
      );
      assert.equal(latest.version, 3, "the stale publish added no version");
      await context.close();

      // A phone-width screen: one column, nothing wider than the screen.
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
      const mobile = await phone.newPage();
      await signIn(mobile, server.url);
      await mobile.fill("#tier-0", "0.11");
      await mobile.waitForSelector("section.plan-sim[data-state=current]");
      await mobile.click("[data-testid=publish]");
      await mobile.locator("[data-testid=confirm]").waitFor();
      assert.ok(
        await mobile.evaluate(() => document.documentElement.scrollWidth <= 390),
        "no horizontal scrolling at 390 px",
      );
      await mobile.evaluate(() => scrollTo(0, 0));
      await screenshot(mobile, "34-plan-editor-phone");
      await phone.close();
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
