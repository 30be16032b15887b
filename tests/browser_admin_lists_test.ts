/**
 * The console's order list in Chromium at 390×844 and 1440×900: sorted by amount through its column header
 * (both directions), filtered by status through its chips and by day through its form, the sort kept
 * across filters and pages, the browser's back button returning to the previous state; then the other
 * lists and the product page's forecast. Screenshots of every state, and no serious or critical axe-core
 * finding on any of them.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { seedDemoData } from "../services/demo_data.ts";
import { startTestServer } from "./helpers.ts";
import { axeProblems, launchBrowser, SCREENSHOT_DIR } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
/** Where this test's screenshots go (test-output/ is not committed). */
const OUT = new URL("admin-lists/", SCREENSHOT_DIR);

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

/** The order numbers of the list's rows and their amounts, in page order. */
function listed(page: Page) {
  return page.locator("[data-testid=orders] tbody tr[data-order]").evaluateAll((trs) =>
    trs.map((tr) => ({
      number: tr.getAttribute("data-order")!,
      total: Number(tr.querySelector("td.num")!.textContent!.replace(/[^\d.]/g, "")),
      status: tr.querySelector(".status")!.className.replace(/.*status-/, ""),
    }))
  );
}

Deno.test(
  "browser: the order list sorted by a header and filtered by status and day at 390×844 and 1440×900; axe clean",
  opts,
  async () => {
    const server = await startTestServer();
    const db = server.db;
    await seedDemoData(db, { products: 8, members: 4, minDepth: 2 });
    const [buyer] = await db.query<{ id: string }>("SELECT id FROM users WHERE role = 'shopper' ORDER BY id LIMIT 1");
    await db.query(
      `INSERT INTO orders (user_id, status, subtotal, discount, points_discount, shipping, total, address,
                           idempotency_key, expires_at, created_at, paid_at)
       SELECT $1, (ARRAY['paid', 'shipped', 'completed', 'pending_payment'])[1 + g % 4], t, 0, 0, 0, t,
              '{"city":"上海","phoneLast4":"1234"}', 'browser-' || g, now() + interval '1 day', c,
              CASE WHEN g % 4 <> 3 THEN c + interval '20 minutes' END
         FROM generate_series(1, 64) g,
              LATERAL (SELECT (19 + (g * 37) % 61 * 10)::numeric AS t,
                              timestamptz '2026-11-20 09:00+08' + g * interval '3 hours' AS c) x`,
      [buyer.id],
    );
    const orders = await db.query<{ id: string; status: string }>(
      "SELECT id::text, status FROM orders WHERE status = 'paid' ORDER BY id LIMIT 3",
    );
    for (const o of orders) {
      await db.query("UPDATE orders SET status = 'refund_requested' WHERE id = $1", [o.id]);
      await db.query(
        `INSERT INTO refunds (order_id, user_id, kind, status, reason, amount, previous_status)
         VALUES ($1, $2, 'refund_only', 'requested', '尺码不合适', 19.00, 'paid')`,
        [o.id, buyer.id],
      );
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
          await page.screenshot({ path: new URL(`${vp.name}-${name}.png`, OUT).pathname, fullPage: true });
          problems.push(...await axeProblems(page, `${vp.name} ${name}`));
          // Dense tables scroll inside their box: the page itself is never wider than the phone.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
          if (vp.width < 768 && overflow > 1) problems.push(`${vp.name} ${name}: ${overflow} px wider than the phone`);
        };
        // A bookmarked, filtered list: the sign-in page brings the manager back to it, query and all.
        await page.goto(`${server.url}/admin/orders?status=shipped&sort=total&dir=desc`);
        await page.fill("#f-email", "admin@test.example");
        await page.fill("#f-password", "admin-password-1");
        await Promise.all([
          page.waitForURL(`${server.url}/admin/orders?status=shipped&sort=total&dir=desc`),
          page.click("main button[type=submit]"),
        ]);
        const shipped = await listed(page);
        assert.ok(shipped.length > 0 && shipped.every((o) => o.status === "shipped"));
        assert.deepEqual(shipped.map((o) => o.total), shipped.map((o) => o.total).sort((a, b) => b - a));

        await page.goto(`${server.url}/admin/orders`);
        await shot("orders");
        // Sort by amount through the column header: ascending, then descending on a second click.
        const amount = page.locator("[data-testid=orders] thead th", { hasText: "金额" });
        await Promise.all([page.waitForURL(/sort=total&dir=asc/), amount.locator("a").click()]);
        assert.equal(await amount.getAttribute("aria-sort"), "ascending");
        const asc = await listed(page);
        assert.equal(asc.length, 50, "a page of 50");
        assert.deepEqual(asc.map((o) => o.total), asc.map((o) => o.total).sort((a, b) => a - b));
        await shot("orders-by-amount");
        await Promise.all([page.waitForURL(/sort=total&dir=desc/), amount.locator("a").click()]);
        const desc = await listed(page);
        assert.deepEqual(desc.map((o) => o.total), desc.map((o) => o.total).sort((a, b) => b - a));
        // Filter by status through its chip: the sort stays.
        await Promise.all([
          page.waitForURL(/status=paid/),
          page.locator("nav.chips a", { hasText: "已付款" }).click(),
        ]);
        assert.match(page.url(), /sort=total&dir=desc/);
        const paid = await listed(page);
        assert.ok(paid.length > 0 && paid.every((o) => o.status === "paid"), "only paid orders");
        assert.deepEqual(paid.map((o) => o.total), paid.map((o) => o.total).sort((a, b) => b - a));
        const count = await page.locator("[data-testid=count]").textContent();
        assert.match(count!, new RegExp(`共 ${paid.length} 单`));
        await shot("orders-paid-by-amount");
        // And by day through the search form (status and sort kept as hidden fields).
        await page.fill("input[name=from]", "2026-11-21");
        await page.fill("input[name=to]", "2026-11-22");
        await Promise.all([
          page.waitForURL(/from=2026-11-21/),
          page.locator("form[role=search] button[type=submit]").click(),
        ]);
        const days = await listed(page);
        assert.ok(days.length > 0 && days.length < paid.length && days.every((o) => o.status === "paid"));
        assert.match(page.url(), /status=paid/);
        assert.match(page.url(), /sort=total/);
        await shot("orders-paid-two-days");
        // Back returns to the previous state of the list.
        await page.goBack();
        await page.waitForURL((u) => !u.search.includes("from="));
        assert.deepEqual((await listed(page)).map((o) => o.number), paid.map((o) => o.number));
        // Nothing found: a helpful empty state with a way out.
        await page.goto(`${server.url}/admin/orders?q=no-such-order&sort=total`);
        assert.ok(await page.locator("[data-testid=empty-state]").isVisible());
        await shot("orders-none");
        // A bad sort in a hand-made link: a clear 400 page, not a crash.
        const bad = await page.goto(`${server.url}/admin/orders?sort=price`);
        assert.equal(bad?.status(), 400);
        assert.match(await page.locator("h1").textContent() ?? "", /排序字段只能是/);

        // The other lists and the product page's per-SKU forecast, sorted.
        for (
          const [name, path] of [
            ["refunds", "/admin/refunds?status=requested&sort=amount&dir=desc"],
            ["members", "/admin/members?sort=spent&dir=desc"],
            ["distributors", "/admin/distributors?sort=members&dir=desc"],
            ["staff", "/admin/staff?sort=name"],
            ["withdrawals", "/admin/withdrawals?status=requested"],
            ["settlements", "/admin/settlements?sort=owed&dir=desc"],
            ["audit", "/admin/audit?sort=action"],
            ["products", "/admin/products?sort=reorder&dir=desc"],
            ["product-forecast", "/admin/products/1/edit"],
          ]
        ) {
          const res = await page.goto(`${server.url}${path}`);
          assert.equal(res?.status(), 200, path);
          await shot(name);
        }
        await context.close();
      }
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
