import assert from "node:assert/strict";
import { parseSettings, SettingsError } from "./config.ts";

Deno.test("parseSettings() applies the contract's defaults", () => {
  const s = parseSettings({});
  assert.equal(s.PORT, 8000);
  assert.equal(s.HOST, "127.0.0.1");
  assert.equal(s.DATA_DIR, "./data");
  assert.equal(s.DEMO_DATA, "on");
  assert.equal(s.ADMIN_EMAIL, "admin@example.com");
  assert.equal(s.DATABASE_URL, undefined);
  assert.equal(s.paymentSandboxSecret, "dev-sandbox-secret");
});

Deno.test("parseSettings() names the bad setting in one line", () => {
  assert.throws(
    () => parseSettings({ PORT: "99999" }),
    (e: Error) => e instanceof SettingsError && /^Invalid setting PORT/.test(e.message),
  );
  assert.throws(() => parseSettings({ DEMO_DATA: "yes" }), /Invalid setting DEMO_DATA/);
  assert.throws(() => parseSettings({ DATABASE_URL: "mysql://x" }), /Invalid setting DATABASE_URL/);
  assert.throws(() => parseSettings({ ADMIN_EMAIL: "nope" }), /Invalid setting ADMIN_EMAIL/);
  assert.throws(() => parseSettings({ ADMIN_PASSWORD: "short" }), /Invalid setting ADMIN_PASSWORD/);
});
