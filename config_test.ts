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

Deno.test("parseSettings() turns the sandbox payment provider on with the demo data and off without", () => {
  assert.equal(parseSettings({}).paymentSandbox, true);
  const real = { DEMO_DATA: "off", ENCRYPTION_KEYS: `k1:${"ab".repeat(32)}` };
  assert.equal(parseSettings(real).paymentSandbox, false);
  assert.equal(parseSettings({ ...real, PAYMENT_SANDBOX: "on" }).paymentSandbox, true);
  assert.equal(parseSettings({ PAYMENT_SANDBOX: "off" }).paymentSandbox, false);
  assert.throws(() => parseSettings({ PAYMENT_SANDBOX: "maybe" }), /Invalid setting PAYMENT_SANDBOX/);
});

Deno.test("parseSettings() reads TRUST_PROXY and names a bad entry", () => {
  assert.deepEqual(parseSettings({}).trustProxy, { kind: "none" });
  assert.deepEqual(parseSettings({ TRUST_PROXY: "on" }).trustProxy, { kind: "all" });
  assert.equal(parseSettings({ TRUST_PROXY: "127.0.0.1,10.0.0.0/8" }).trustProxy.kind, "list");
  assert.throws(() => parseSettings({ TRUST_PROXY: "proxy.example" }), /Invalid setting TRUST_PROXY: .*proxy\.example/);
});

Deno.test("parseSettings() reads the backup settings and names a bad one", () => {
  const s = parseSettings({});
  assert.equal(s.BACKUP_DIR, "./backups");
  assert.equal(s.BACKUP_EVERY_HOURS, 0);
  assert.equal(s.BACKUP_KEEP, 7);
  assert.equal(parseSettings({ BACKUP_EVERY_HOURS: "6", BACKUP_KEEP: "3" }).BACKUP_KEEP, 3);
  assert.throws(() => parseSettings({ BACKUP_EVERY_HOURS: "-1" }), /Invalid setting BACKUP_EVERY_HOURS/);
  assert.throws(() => parseSettings({ BACKUP_KEEP: "0" }), /Invalid setting BACKUP_KEEP/);
});

const K1 = "ab".repeat(32);
const K2 = "cd".repeat(32);

Deno.test("parseSettings() builds the key ring: ENCRYPTION_KEYS, ENCRYPTION_KEY_ID and ID_ENCRYPTION_KEY as legacy", () => {
  const one = parseSettings({ DEMO_DATA: "off", ENCRYPTION_KEYS: `k1:${K1}` });
  assert.deepEqual(one.encryptionKeys, [{ id: "k1", hex: K1 }]);
  assert.equal(one.encryptionKeyId, "k1");
  assert.equal(one.devEncryptionKey, false);
  const two = parseSettings({
    DEMO_DATA: "off",
    ENCRYPTION_KEYS: `k1:${K1}, k2:${K2}`,
    ENCRYPTION_KEY_ID: "k2",
    ID_ENCRYPTION_KEY: "ef".repeat(32),
  });
  assert.deepEqual(two.encryptionKeys.map((k) => k.id), ["k1", "k2", "legacy"]);
  assert.equal(two.encryptionKeyId, "k2");
  const legacy = parseSettings({ DEMO_DATA: "off", ID_ENCRYPTION_KEY: K1 });
  assert.equal(legacy.encryptionKeyId, "legacy");
  assert.throws(
    () => parseSettings({ DEMO_DATA: "off", ENCRYPTION_KEYS: `k1:${K1},k2:${K2}` }),
    /Invalid setting ENCRYPTION_KEY_ID: required/,
  );
  assert.throws(
    () => parseSettings({ DEMO_DATA: "off", ENCRYPTION_KEYS: `k1:${K1}`, ENCRYPTION_KEY_ID: "k9" }),
    /Invalid setting ENCRYPTION_KEY_ID: no key k9/,
  );
  assert.throws(() => parseSettings({ ENCRYPTION_KEYS: "k1:abc" }), /Invalid setting ENCRYPTION_KEYS: each entry/);
  assert.throws(() => parseSettings({ ENCRYPTION_KEYS: `k1:${K1},k1:${K2}` }), /given twice/);
  assert.throws(() => parseSettings({ ENCRYPTION_KEYS: `dev:${K1}` }), /reserved/);
});
