import assert from "node:assert/strict";
import axe from "axe-core";
import { seedDemoData } from "../services/demo_data.ts";
import { startTestServer } from "./helpers.ts";
import { launchBrowser } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const AXE = (axe as unknown as { source: string }).source;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

Deno.test(
  "accessibility: axe-core finds no serious or critical violations on the portal and shop pages",
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
      const problems: string[] = [];
      for (
        const path of [
          "/",
          "/products/1",
          "/cart",
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
        for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
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
