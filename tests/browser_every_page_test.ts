/**
 * Every page of the product, as its user reaches it, at 390×844 and 1440×900: a screenshot of each under
 * test-output/screenshots/pages/, axe-core with no serious or critical finding, no page wider than the
 * phone, and no broken picture. Anonymous visitor, shopper (with paid and unpaid orders), the demo
 * distributor and the manager.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { DEMO_DISTRIBUTOR, seedDemoData } from "../services/demo_data.ts";
import { buyAndPay, startTestServer, TEST_ADDRESS, type TestClient } from "./helpers.ts";
import { axeProblems, launchBrowser, SCREENSHOT_DIR } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const OUT = new URL("pages/", SCREENSHOT_DIR);
const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
];

/** One page to visit: a name for its screenshot and its path. */
type Visit = [name: string, path: string];

Deno.test(
  "browser: every page at 390×844 and 1440×900 — screenshots, no serious axe finding, nothing wider than the phone",
  opts,
  async () => {
    const server = await startTestServer();
    const problems: string[] = [];
    const browser = await launchBrowser();
    try {
      await seedDemoData(server.db, { products: 12, members: 8, minDepth: 3 });
      await Deno.mkdir(OUT, { recursive: true });

      // A shopper in the demo distributor's team with a paid order (after-sales form; the distributor's
      // earnings list its commission) and an unpaid one (pay page, countdown).
      const [{ code }] = await server.db.query<{ code: string }>(
        "SELECT referral_code AS code FROM users WHERE email = $1",
        [DEMO_DISTRIBUTOR.email],
      );
      const shopper = server.client();
      await shopper.register(`pages-${crypto.randomUUID().slice(0, 8)}@example.com`, "逛逛", { referralCode: code });
      const paid = await buyAndPay(shopper, server.settings.paymentSandboxSecret, "1");
      const unpaid = await shopper.json<{ order: { id: string } }>("POST", "/api/orders", {
        json: { items: [{ productId: "2", quantity: 1 }], address: TEST_ADDRESS },
        headers: { "idempotency-key": crypto.randomUUID() },
      });
      assert.equal(unpaid.status, 201, JSON.stringify(unpaid.body));
      const pay = await shopper.json<{ payment: { id: string } }>("POST", `/api/orders/${unpaid.body.order.id}/pay`, {
        json: { method: "sandbox" },
      });
      assert.equal(pay.status, 200, JSON.stringify(pay.body));
      const cart = await shopper.json("PUT", "/api/cart", { json: { items: [{ productId: "1", quantity: 2 }] } });
      assert.equal(cart.status, 200, JSON.stringify(cart.body));

      const distributor = server.client();
      assert.equal((await distributor.login(DEMO_DISTRIBUTOR.email, DEMO_DISTRIBUTOR.password)).status, 200);
      const manager = server.client();
      assert.equal((await manager.login("admin@test.example", "admin-password-1")).status, 200);
      const [distributorId] = await server.db.query<{ id: string }>(
        "SELECT id::text FROM users WHERE email = $1",
        [DEMO_DISTRIBUTOR.email],
      );
      const [period] = await server.db.query<{ id: string }>("SELECT id::text FROM settlement_periods LIMIT 1")
        .catch(() => []);

      const roles: { who: string; client?: TestClient; pages: Visit[] }[] = [
        {
          who: "visitor",
          pages: [
            ["home", "/"],
            ["category", "/?category=1"],
            ["search-empty", "/?q=zzzz-nothing"],
            ["product", "/products/1"],
            ["login", "/login"],
            ["register", "/register"],
            ["not-found", "/no-such-page"],
          ],
        },
        {
          who: "shopper",
          client: shopper,
          pages: [
            ["cart", "/cart"],
            ["checkout", "/checkout"],
            ["orders", "/orders"],
            ["order-paid", `/orders/${paid}`],
            ["order-unpaid", `/orders/${unpaid.body.order.id}`],
            ["refund-form", `/orders/${paid}/refund`],
            ["sandbox-pay", `/sandbox/pay/${pay.body.payment.id}`],
            ["account", "/account"],
            ["account-coupons", "/account/coupons"],
            ["addresses", "/account/addresses"],
            ["address-new", "/account/addresses/new"],
            ["apply", "/account/apply"],
          ],
        },
        {
          who: "distributor",
          client: distributor,
          pages: [
            ["dashboard", "/distributor"],
            ["team", "/distributor/team"],
            ["earnings", "/distributor/earnings"],
            ["promote", "/distributor/promote"],
            ["alerts", "/distributor/alerts"],
          ],
        },
        {
          who: "manager",
          client: manager,
          pages: [
            ["console", "/admin"],
            ["home-arrange", "/admin/home"],
            ["home-banner", "/admin/home/banners/1"],
            ["home-block", "/admin/home/blocks/new"],
            ["products", "/admin/products"],
            ["product-edit", "/admin/products/1/edit"],
            ["orders", "/admin/orders"],
            ["order", `/admin/orders/${paid}`],
            ["refunds", "/admin/refunds"],
            ["members", "/admin/members"],
            ["distributors", "/admin/distributors"],
            ["distributor", `/admin/distributors/${distributorId.id}`],
            ["withdrawals", "/admin/withdrawals"],
            ["settlements", "/admin/settlements"],
            ...(period ? [["settlement", `/admin/settlements/${period.id}`] as Visit] : []),
            ["plan", "/admin/plan"],
            ["staff", "/admin/staff"],
            ["audit", "/admin/audit"],
          ],
        },
      ];

      for (const vp of VIEWPORTS) {
        for (const role of roles) {
          const context = await browser.newContext({
            viewport: { width: vp.width, height: vp.height },
            locale: "zh-CN",
            bypassCSP: true,
          });
          try {
            if (role.client) await signIn(context, server.url, role.client);
            const page = await context.newPage();
            for (const [name, path] of role.pages) {
              const label = `${vp.name} ${role.who} ${name} (${path})`;
              const res = await page.goto(`${server.url}${path}`);
              const expected = name === "not-found" ? 404 : 200;
              assert.equal(res?.status(), expected, `${label}: status`);
              problems.push(...await pageProblems(page, label, vp.width));
              await page.screenshot({
                path: new URL(`${vp.name}-${role.who}-${name}.png`, OUT).pathname,
                fullPage: true,
              });
            }
          } finally {
            await context.close();
          }
        }
      }
    } finally {
      await browser.close();
      await server.close();
    }
    assert.deepEqual(problems, []);
  },
);

/** Gives the browser context the session of a signed-in test client. */
async function signIn(context: BrowserContext, url: string, client: TestClient): Promise<void> {
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url })));
}

/** What is wrong with a loaded page: axe findings, broken pictures, and a page wider than a phone. */
async function pageProblems(page: Page, label: string, width: number): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  const out = await axeProblems(page, label);
  const broken = await page.evaluate(() =>
    [...document.images].filter((i) => i.complete && i.naturalWidth === 0 && i.loading !== "lazy").map((i) => i.src)
  );
  if (broken.length) out.push(`${label}: broken pictures ${broken.join(", ")}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
  if (width < 768 && overflow > 1) out.push(`${label}: ${overflow} px wider than the phone`);
  // A wide table scrolls inside its wrapper, which fits the screen: nothing is clipped at the right edge.
  const clipped = await page.evaluate(() =>
    [...document.querySelectorAll("table")].filter((table) => {
      for (let el = table.parentElement; el && el !== document.body; el = el.parentElement) {
        const scrolls = ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
        if (scrolls) return el.getBoundingClientRect().right > globalThis.innerWidth + 1;
      }
      return table.getBoundingClientRect().right > globalThis.innerWidth + 1;
    }).map((table) => table.closest("[data-testid]")?.getAttribute("data-testid") ?? table.className)
  );
  if (clipped.length) out.push(`${label}: tables cut off at the right edge: ${clipped.join(", ")}`);
  return out;
}
