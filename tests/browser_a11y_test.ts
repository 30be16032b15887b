import assert from "node:assert/strict";
import axe from "axe-core";
import { seedDemoData } from "../services/demo_data.ts";
import { startTestServer } from "./helpers.ts";
import { launchBrowser } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const AXE = (axe as unknown as { source: string }).source;
/** Rules that must pass whatever axe rates their impact (moderate ones included). */
const STRICT_RULES = new Set(["heading-order"]);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

Deno.test(
  "accessibility: axe-core finds no serious or critical violations (nor any heading-order one) on the portal and shop pages",
  opts,
  async () => {
    const server = await startTestServer();
    await seedDemoData(server.db, { products: 12, members: 5, minDepth: 5 });
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: "zh-CN",
        bypassCSP: true,
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/register`);
      await page.fill("#f-name", "无障碍");
      await page.fill("#f-email", "a11y@example.com");
      await page.fill("#f-password", "password-123");
      await Promise.all([page.waitForURL(`${server.url}/`), page.click("main button[type=submit]")]);
      // A filled cart (per-line controls, checkout form) and a points history (table) to check as well.
      for (const id of ["1", "2"]) {
        await page.goto(`${server.url}/products/${id}`);
        await Promise.all([page.waitForURL(`${server.url}/cart`), page.click("[data-testid=add-to-cart]")]);
      }
      await server.db.query(
        "INSERT INTO points_ledger (user_id, delta, reason) SELECT id, 100, 'earn' FROM users WHERE email = $1",
        ["a11y@example.com"],
      );
      const [category] = await server.db.query<{ slug: string }>("SELECT slug FROM categories ORDER BY id LIMIT 1");
      const problems: string[] = [];
      for (
        const path of [
          "/",
          `/?category=${category.slug}`,
          "/?sort=newest",
          "/products/1",
          "/cart",
          "/checkout",
          "/account",
          "/distributor",
          "/distributor/team",
          "/distributor/earnings",
          "/distributor/promote",
          "/distributor/alerts",
        ]
      ) {
        await page.goto(`${server.url}${path}`);
        await page.waitForLoadState("networkidle");
        await page.addScriptTag({ content: AXE });
        const violations = await page.evaluate(async () => {
          // deno-lint-ignore no-explicit-any
          const result = await (globalThis as any).axe.run(document, { resultTypes: ["violations"] });
          return result.violations as AxeViolation[];
        });
        for (
          const v of violations.filter((v) =>
            v.impact === "serious" || v.impact === "critical" || STRICT_RULES.has(v.id)
          )
        ) {
          problems.push(
            `${path}: ${v.id} (${v.impact}) ${v.help} — ${
              v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")
            }`,
          );
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
