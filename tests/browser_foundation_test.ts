import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { type RunningServer, startServer } from "../main.ts";
import { createLogger } from "../lib/log.ts";
import { seedDemoData } from "../services/demo_data.ts";
import { openTestDb, testSettings } from "./helpers.ts";
import { forbidDialogs, launchBrowser, screenshot } from "./browser_helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function registerThroughForm(page: Page, base: string, name: string, email: string) {
  await page.goto(`${base}/register`);
  await page.fill("#f-name", name);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "password-123");
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
}

Deno.test(
  "browser: register, log in, see the shop; the manager home shows new members live, across socket loss and a server restart",
  opts,
  async () => {
    const testDb = await openTestDb();
    await seedDemoData(testDb.db, { products: 24, members: 40, minDepth: 5 });
    const start = (port = "0") =>
      startServer(testSettings({ PORT: port }), { db: testDb.db, log: createLogger("silent") });
    let server: RunningServer = await start();
    const base = server.url;
    const port = new URL(base).port;
    const browser = await launchBrowser();
    const errors: string[] = [];
    try {
      // A shopper registers through the form, logs out, logs in again and sees the shop home.
      const shopper = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
      forbidDialogs(shopper, errors);
      await registerThroughForm(shopper, base, "Alice", "alice@example.com");
      assert.equal(await shopper.locator(".whoami").textContent(), "Alice");
      assert.ok(await shopper.locator(".product-card").count() > 0);
      await screenshot(shopper, "01-shop-home-phone");
      await Promise.all([shopper.waitForURL(`${base}/`), shopper.click(".inline-form button[type=submit]")]);
      await shopper.goto(`${base}/login`);
      await shopper.fill("#f-email", "alice@example.com");
      await shopper.fill("#f-password", "wrong-password");
      await shopper.click("button[type=submit]");
      await shopper.waitForSelector(".alert-error");
      await screenshot(shopper, "02-login-error-phone");
      await shopper.fill("#f-password", "password-123");
      await Promise.all([shopper.waitForURL(`${base}/`), shopper.click("button[type=submit]")]);
      assert.equal(await shopper.locator(".whoami").textContent(), "Alice");

      // The manager opens the console in another browser.
      const managerCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const manager = await managerCtx.newPage();
      forbidDialogs(manager, errors);
      await manager.goto(`${base}/login?next=/admin`);
      await manager.fill("#f-email", "admin@test.example");
      await manager.fill("#f-password", "admin-password-1");
      await Promise.all([manager.waitForURL(`${base}/admin`), manager.click("button[type=submit]")]);
      await manager.waitForSelector(".live-indicator.live-live");
      const todayBefore = Number(await manager.locator("[data-testid=members-today]").textContent());

      // Someone registers in a third browser: the manager sees them within a second.
      const visitor = await (await browser.newContext()).newPage();
      forbidDialogs(visitor, errors);
      await registerThroughForm(visitor, base, "Bob Live", "bob@example.com");
      await manager.locator("[data-testid=newest-members]", { hasText: "Bob Live" }).waitFor({ timeout: 1000 });
      assert.equal(Number(await manager.locator("[data-testid=members-today]").textContent()), todayBefore + 1);

      // The socket is cut; a member registers meanwhile; after reconnecting both are shown.
      await manager.evaluate(() =>
        (globalThis as unknown as { __live: { disconnect(): void }[] }).__live.forEach((s) => s.disconnect())
      );
      await manager.waitForSelector(".live-indicator.live-offline");
      await registerThroughForm(
        await (await browser.newContext()).newPage(),
        base,
        "Carol Offline",
        "carol@example.com",
      );
      await manager.evaluate(() =>
        (globalThis as unknown as { __live: { connect(): void }[] }).__live.forEach((s) => s.connect())
      );
      await manager.locator("[data-testid=newest-members]", { hasText: "Carol Offline" }).waitFor({ timeout: 2000 });

      // The server restarts between two registrations; the island reconnects and catches up.
      await server.close();
      await manager.waitForSelector(".live-indicator.live-offline");
      server = await start(port);
      await registerThroughForm(
        await (await browser.newContext()).newPage(),
        base,
        "<img src=x onerror=alert(1)>",
        "xss@example.com",
      );
      await manager.locator("[data-testid=newest-members]", { hasText: "<img src=x onerror=alert(1)>" }).waitFor({
        timeout: 8000,
      });
      const names = await manager.locator("[data-testid=newest-members] .member-name").allTextContents();
      for (const n of ["Bob Live", "Carol Offline", "<img src=x onerror=alert(1)>"]) {
        assert.ok(
          names.includes(n),
          `${n} in ${names}`,
        );
      }
      assert.equal(new Set(names).size, names.length, "no duplicates");
      assert.equal(Number(await manager.locator("[data-testid=members-today]").textContent()), todayBefore + 3);
      assert.equal(await manager.locator(".member-list img").count(), 0, "the name is text, not an element");
      await screenshot(manager, "03-admin-live-desktop");

      // The same page after a reload renders the hostile name as text from the server too.
      await manager.reload();
      await manager.waitForSelector(".live-indicator.live-live");
      assert.equal(await manager.locator(".member-list img").count(), 0);
      await screenshot(manager, "04-admin-after-reload");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
      await testDb.close();
    }
  },
);
