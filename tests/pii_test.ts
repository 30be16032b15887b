/**
 * Personal data at rest (issue 11.5): sealed phones, addresses and ID numbers, look-up by phone, key
 * rotation, the refusal to start without a key, the member's data export, erasure, the address book.
 */
import assert from "node:assert/strict";
import { buyAndPay, createTestApp, installPlanForTest, type TestClient } from "./helpers.ts";
import { parseSettings, SettingsError } from "../config.ts";
import { CryptoBox, DEV_ENCRYPTION_KEY } from "../lib/crypto_box.ts";
import { localKeyPath, withLocalKey } from "../lib/local_key.ts";
import { rotateKeys, rotationBacklog } from "../services/key_rotation.ts";
import { personalDataOf } from "../db/users_repo.ts";
import { listAddresses } from "../services/address_book.ts";
import { checkoutAddress } from "../services/checkout.ts";
import { findOrder, openOrderAddress } from "../db/orders_repo.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const app = await createTestApp();
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

const PHONE = "13912345678";
const ID_NUMBER = "110101199001011234";
const ADDRESS = { name: "欧阳娜娜", phone: PHONE, line1: "梧桐大道 88 号 5 栋", city: "成都", postcode: "610000" };

async function member(
  name: string,
  extra: Record<string, unknown> = {},
): Promise<{ client: TestClient; id: string; code: string }> {
  const client = app.client();
  const user = await client.register(`${name}-${crypto.randomUUID().slice(0, 6)}@example.com`, name, extra);
  return { client, id: user.id, code: user.referralCode };
}

async function product(client: TestClient = admin): Promise<string> {
  const res = await client.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: {
      name: `商品 ${crypto.randomUUID().slice(0, 4)}`,
      category: "beauty",
      price: "100.00",
      costPrice: "10.00",
      stock: 100,
      lowStockThreshold: 1,
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function staff(role: string): Promise<TestClient> {
  const m = await member(role);
  assert.equal((await admin.json("POST", `/api/admin/users/${m.id}/role`, { json: { role: "manager" } })).status, 200);
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${m.id}/staff-role`, { json: { staffRole: role } })).status,
    200,
  );
  return m.client;
}

/** Every row of the tables that hold personal data, as text. */
async function rawRows(db = app.db): Promise<string> {
  const users = await db.query("SELECT * FROM users");
  const addresses = await db.query("SELECT * FROM addresses");
  const orders = await db.query("SELECT * FROM orders");
  return JSON.stringify({ users, addresses, orders });
}

Deno.test("phones, addresses and ID numbers are not readable in the database; the app reads them", opts, async () => {
  const m = await member("sealed");
  assert.equal(
    (await m.client.json("PATCH", "/api/me/profile", { json: { phone: PHONE, idNumber: ID_NUMBER } })).status,
    204,
  );
  const added = await m.client.json<{ address: { id: string; isDefault: boolean } }>("POST", "/api/me/addresses", {
    json: ADDRESS,
  });
  assert.equal(added.status, 201);
  const orderId = await buyAndPay(m.client, app.settings.paymentSandboxSecret, await product(), 1, ADDRESS);

  const raw = await rawRows();
  for (const secret of [PHONE, ID_NUMBER, "梧桐大道", "欧阳娜娜", "610000", "12345678"]) {
    assert.ok(!raw.includes(secret), `${secret} is not stored in clear`);
  }
  const [u] = await app.db.query<{ phone: string | null; phone_enc: string; id_number_enc: string }>(
    "SELECT phone, phone_enc, id_number_enc FROM users WHERE id = $1",
    [m.id],
  );
  assert.equal(u.phone, null);
  assert.match(u.phone_enc, /^v2:dev:[0-9a-f]{24}:[0-9a-f]+$/);
  assert.match(u.id_number_enc, /^v2:dev:/);
  const [o] = await app.db.query<{ address: Record<string, string> }>("SELECT address FROM orders WHERE id = $1", [
    orderId,
  ]);
  assert.deepEqual(o.address, { city: "成都", phoneLast4: "5678" }, "only what staff filter by stays in clear");

  // The app reads them back: the buyer's own order, staff pages, the checkout's default address.
  const mine = await m.client.json<{ order: { address: Record<string, string> } }>("GET", `/api/orders/${orderId}`);
  assert.equal(mine.body.order.address.line1, ADDRESS.line1);
  const detail = await (await admin.request("GET", `/admin/orders/${orderId}`)).text();
  assert.match(detail, new RegExp(`data-testid="buyer-phone">${PHONE}<`));
  assert.ok(detail.includes(ADDRESS.line1));
  const listed = async (q: string) =>
    (await (await admin.request("GET", `/admin/orders?q=${encodeURIComponent(q)}`)).text()).includes(
      `href="/admin/orders/${orderId}"`,
    );
  assert.ok(await listed("5678"), "by the phone's last digits");
  assert.ok(await listed(PHONE), "by the whole phone (keyed hash)");
  assert.ok(await listed("欧阳娜娜"), "by the recipient (keyed hash)");
  assert.ok(!(await listed("欧阳")), "a part of a name is not searchable any more");
  assert.equal((await checkoutAddress(app.db, CryptoBox.fromSettings(app.settings), m.id))?.line1, ADDRESS.line1);
});

Deno.test(
  "GET /api/admin/users?phone= finds a member by phone; masked for support, 403 for non-staff, 400 for junk",
  opts,
  async () => {
    const m = await member("lookup");
    await m.client.json("PATCH", "/api/me/profile", { json: { phone: "13700001111" } });
    type Found = { items: { user: { id: string }; phone: string }[]; total: number };
    const found = await admin.json<Found>("GET", "/api/admin/users?phone=137%200000%201111");
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.items.map((i) => i.user.id), [m.id]);
    assert.equal(found.body.items[0].phone, "13700001111");
    const support = await staff("support");
    const masked = await support.json<Found>("GET", "/api/admin/users?phone=13700001111");
    assert.equal(masked.body.items[0].phone, "137****1111");
    assert.equal((await admin.json<Found>("GET", "/api/admin/users?phone=13700009999")).body.total, 0);
    assert.equal((await admin.json("GET", "/api/admin/users?phone=abc")).status, 400);
    assert.equal((await admin.json("GET", "/api/admin/users")).status, 400);
    assert.equal((await m.client.json("GET", "/api/admin/users?phone=13700001111")).status, 403);
  },
);

Deno.test("the address book: create, default, change, delete; only the caller's; bad input 400", opts, async () => {
  const m = await member("book");
  const other = await member("other");
  const post = (body: unknown, c = m.client) =>
    c.json<{ address: { id: string; isDefault: boolean; line1: string } }>("POST", "/api/me/addresses", { json: body });
  const a = await post(ADDRESS);
  assert.equal(a.status, 201);
  assert.equal(a.body.address.isDefault, true, "the first address is the default");
  const b = await post({ ...ADDRESS, line1: "二号路 2 号" });
  assert.equal(b.body.address.isDefault, false);
  const c = await post({ ...ADDRESS, line1: "三号路 3 号", isDefault: true });
  assert.equal(c.body.address.isDefault, true);
  type List = { items: { id: string; isDefault: boolean; line1: string; phone: string }[]; total: number };
  let list = (await m.client.json<List>("GET", "/api/me/addresses")).body;
  assert.equal(list.total, 3);
  assert.deepEqual(list.items.filter((i) => i.isDefault).map((i) => i.id), [c.body.address.id]);
  assert.equal(list.items[0].id, c.body.address.id, "the default first");
  assert.equal(list.items[0].phone, PHONE);

  const patched = await m.client.json<{ address: { line1: string; isDefault: boolean; city: string } }>(
    "PATCH",
    `/api/me/addresses/${b.body.address.id}`,
    { json: { line1: "二号路 22 号", isDefault: true } },
  );
  assert.equal(patched.status, 200);
  assert.equal(patched.body.address.line1, "二号路 22 号");
  assert.equal(patched.body.address.city, ADDRESS.city, "fields not sent stay");
  assert.equal(patched.body.address.isDefault, true);
  list = (await m.client.json<List>("GET", "/api/me/addresses")).body;
  assert.deepEqual(list.items.filter((i) => i.isDefault).map((i) => i.id), [b.body.address.id]);

  // Someone else's address: 404, and nothing changes.
  assert.equal(
    (await other.client.json("PATCH", `/api/me/addresses/${b.body.address.id}`, { json: { city: "x" } })).status,
    404,
  );
  assert.equal((await other.client.json("DELETE", `/api/me/addresses/${b.body.address.id}`)).status, 404);
  assert.equal((await other.client.json<List>("GET", "/api/me/addresses")).body.total, 0);
  // Bad input.
  assert.equal((await post({ ...ADDRESS, phone: "abc" })).status, 400);
  assert.equal((await post({ name: "x" })).status, 400);
  assert.equal((await m.client.json("PATCH", `/api/me/addresses/${a.body.address.id}`, { json: {} })).status, 400);
  assert.equal((await m.client.json("PATCH", "/api/me/addresses/abc", { json: { city: "x" } })).status, 404);
  assert.equal((await app.client().json("GET", "/api/me/addresses")).status, 401);

  // Deleting the default hands it to the newest left.
  assert.equal((await m.client.request("DELETE", `/api/me/addresses/${b.body.address.id}`)).status, 204);
  list = (await m.client.json<List>("GET", "/api/me/addresses")).body;
  assert.equal(list.total, 2);
  assert.deepEqual(list.items.filter((i) => i.isDefault).map((i) => i.id), [c.body.address.id]);
  const stored = await app.db.query<{ data_enc: string; line1: string | null }>(
    "SELECT data_enc, line1 FROM addresses WHERE user_id = $1",
    [m.id],
  );
  assert.ok(stored.every((r) => r.data_enc.startsWith("v2:") && r.line1 === null));
});

Deno.test("GET /api/me/export: a JSON download of the caller's data, and only theirs", opts, async () => {
  const m = await member("export");
  const other = await member("export-other");
  await m.client.json("PATCH", "/api/me/profile", { json: { phone: PHONE, idNumber: ID_NUMBER } });
  await m.client.json("POST", "/api/me/addresses", { json: ADDRESS });
  const pid = await product();
  const orderId = await buyAndPay(m.client, app.settings.paymentSandboxSecret, pid, 1, ADDRESS);
  await other.client.json("PATCH", "/api/me/profile", { json: { phone: "13600006666" } });
  const otherOrder = await buyAndPay(other.client, app.settings.paymentSandboxSecret, pid, 1, {
    ...ADDRESS,
    name: "别人",
    line1: "别处 9 号",
  });

  const res = await m.client.request("GET", "/api/me/export");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="sharemall-export-\d+\.json"$/);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const text = await res.text();
  const data = JSON.parse(text);
  assert.equal(data.profile.id, m.id);
  assert.equal(data.profile.phone, PHONE);
  assert.equal(data.profile.idNumber, ID_NUMBER);
  assert.equal(data.addresses[0].line1, ADDRESS.line1);
  assert.deepEqual(data.orders.map((o: { id: string }) => o.id), [orderId]);
  assert.equal(data.orders[0].address.phone, PHONE, "the order's delivery address, opened");
  assert.ok(Array.isArray(data.points));
  for (
    const key of ["commissions", "withdrawals", "statements", "refunds", "notifications", "distributorApplications"]
  ) {
    assert.ok(key in data, key);
  }
  assert.ok(!text.includes("13600006666") && !text.includes("别处 9 号"));
  assert.ok(!data.orders.some((o: { id: string }) => o.id === otherOrder));
  const audit = await app.db.query("SELECT 1 FROM audit_log WHERE action = 'user.export' AND target = $1", [
    `user:${m.id}`,
  ]);
  assert.equal(audit.length, 1);
  assert.equal((await app.client().request("GET", "/api/me/export")).status, 401);
  const account = await (await m.client.request("GET", "/account")).text();
  assert.match(account, /href="\/api\/me\/export"/);
});

/** What erasure must leave exactly as it was: money, orders, commission, statements. */
async function history(): Promise<string> {
  const q = (sql: string) => app.db.query(sql);
  return JSON.stringify({
    ledger: await q("SELECT id, account_id, amount, transaction_id FROM ledger_entries ORDER BY id"),
    accounts: await q("SELECT id, owner_id, kind, balance FROM ledger_accounts ORDER BY id"),
    orders: await q(
      "SELECT id, user_id, status, subtotal, discount, points_discount, shipping, total FROM orders ORDER BY id",
    ),
    items: await q("SELECT * FROM order_items ORDER BY id"),
    commission: await q("SELECT * FROM commission_lines ORDER BY id"),
    statements: await q("SELECT * FROM statements ORDER BY id"),
    points: await q("SELECT * FROM points_ledger ORDER BY id"),
  });
}

Deno.test(
  "erasure: 409 while obligations are open; then personal data gone, history identical, no sign-in, audited",
  opts,
  async () => {
    await installPlanForTest(app.db, { eligibility: "everyone" });
    const up = await member("erase-up");
    const m = await member("erase-me", { referralCode: up.code });
    await m.client.json("PATCH", "/api/me/profile", { json: { phone: "13511112222", idNumber: ID_NUMBER } });
    await m.client.json("POST", "/api/me/addresses", { json: ADDRESS });
    await m.client.json("POST", "/api/me/distributor-application", {
      json: { contact: "13511112222", channels: "朋友圈", experience: "三年" },
    });
    const orderId = await buyAndPay(m.client, app.settings.paymentSandboxSecret, await product(), 1, ADDRESS);
    // A distributor: the erasure form is on their staff page.
    assert.equal(
      (await admin.json("POST", `/api/admin/users/${m.id}/role`, { json: { role: "distributor" } })).status,
      200,
    );

    // Permission: only staff with members.erase; others 403, members 403, bad ids 400, a manager 409.
    for (const role of ["support", "finance", "operations"]) {
      assert.equal((await (await staff(role)).json("POST", `/api/admin/users/${m.id}/erase`)).status, 403, role);
    }
    assert.equal((await up.client.json("POST", `/api/admin/users/${m.id}/erase`)).status, 403);
    assert.equal((await admin.json("POST", "/api/admin/users/abc/erase")).status, 400);
    assert.equal((await admin.json("POST", "/api/admin/users/999999999/erase")).status, 404);
    const me = await admin.json<{ user: { id: string } }>("GET", "/api/me");
    assert.equal((await admin.json("POST", `/api/admin/users/${me.body.user.id}/erase`)).status, 409);

    // A paid order not yet shipped is an open obligation.
    const open = await admin.json<{ error: { code: string; fields: Record<string, string> } }>(
      "POST",
      `/api/admin/users/${m.id}/erase`,
    );
    assert.equal(open.status, 409);
    assert.equal(open.body.error.code, "conflict");
    assert.ok(open.body.error.fields.orders, JSON.stringify(open.body));
    // The form on the distributor page shows the refusal.
    const page = await admin.form(`/admin/users/${m.id}/erase`, { confirm: "yes" }, `/admin/distributors/${m.id}`);
    assert.equal(page.status, 409);
    assert.match(await page.text(), /data-testid="erase-member"[\s\S]*alert-error/);
    const unconfirmed = await admin.form(`/admin/users/${m.id}/erase`, {});
    assert.equal(unconfirmed.status, 400);
    await unconfirmed.body?.cancel();

    assert.equal(
      (await admin.json("POST", `/api/admin/orders/${orderId}/ship`, {
        json: { carrier: "SF", trackingNumber: "SF0001" },
      }))
        .status,
      200,
    );
    assert.equal((await m.client.json("POST", `/api/orders/${orderId}/confirm-receipt`)).status, 200);
    const end = new Date(Date.now() + 1000).toISOString();
    await new Promise((r) => setTimeout(r, 1100));
    const close = await admin.json("POST", "/api/admin/settlements", {
      json: { startsAt: "2020-01-01T00:00:00Z", endsAt: end },
    });
    assert.ok([201, 409].includes(close.status), JSON.stringify(close.body));

    const before = await history();
    const erased = await admin.json<{ erased: { id: string; erasedAt: string } }>(
      "POST",
      `/api/admin/users/${m.id}/erase`,
    );
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.equal(await history(), before, "orders, ledger, commission, points and statements are untouched");

    const [u] = await app.db.query<Record<string, unknown>>("SELECT * FROM users WHERE id = $1", [m.id]);
    assert.equal(u.name, "—");
    assert.match(String(u.email), /^erased-\d+@erased\.invalid$/);
    for (const col of ["phone", "phone_enc", "phone_hash", "id_number_enc"]) assert.equal(u[col], null, col);
    assert.ok(u.erased_at);
    assert.equal((await app.db.query("SELECT 1 FROM addresses WHERE user_id = $1", [m.id])).length, 0);
    const [o] = await app.db.query<{ address: Record<string, string>; address_enc: string | null }>(
      "SELECT address, address_enc FROM orders WHERE id = $1",
      [orderId],
    );
    assert.deepEqual(o.address, { city: ADDRESS.city });
    assert.equal(o.address_enc, null);
    const [appRow] = await app.db.query<{ contact: string }>(
      "SELECT contact FROM distributor_applications WHERE user_id = $1",
      [m.id],
    );
    assert.equal(appRow?.contact ?? "", "");
    assert.ok(!(await rawRows()).includes("13511112222"));
    // The erased member is signed out and cannot sign in again.
    assert.equal((await m.client.json("GET", "/api/me")).status, 401);
    const email = (await app.db.query<{ email: string }>("SELECT email FROM users WHERE id = $1", [m.id]))[0].email;
    assert.equal((await app.client().login(email, "password-123")).status, 401);
    const audit = await app.db.query<{ before: Record<string, unknown> }>(
      "SELECT before FROM audit_log WHERE action = 'user.erase' AND target = $1",
      [`user:${m.id}`],
    );
    assert.equal(audit.length, 1);
    assert.ok(!JSON.stringify(audit).includes("13511112222"));
    // Twice is the same answer; the staff page says it was done.
    assert.equal((await admin.json("POST", `/api/admin/users/${m.id}/erase`)).status, 200);
    const profile = await (await admin.request("GET", `/admin/distributors/${m.id}`)).text();
    assert.match(profile, /data-testid="erased-at"/);
  },
);

Deno.test("an erased member earns no more commission; others in the same plan still do", opts, async () => {
  await installPlanForTest(app.db, { eligibility: "everyone" });
  const gone = await member("gone-up");
  const kept = await member("kept-up");
  const b1 = await member("b1", { referralCode: gone.code });
  const b2 = await member("b2", { referralCode: kept.code });
  assert.equal((await admin.json("POST", `/api/admin/users/${gone.id}/erase`)).status, 200);
  const pid = await product();
  const o1 = await buyAndPay(b1.client, app.settings.paymentSandboxSecret, pid, 1);
  const o2 = await buyAndPay(b2.client, app.settings.paymentSandboxSecret, pid, 1);
  const lines = (orderId: string, who: string) =>
    app.db.query("SELECT 1 FROM commission_lines WHERE order_id = $1 AND beneficiary_id = $2", [orderId, who]);
  assert.equal((await lines(o1, gone.id)).length, 0);
  assert.equal((await lines(o2, kept.id)).length, 1);
});

Deno.test(
  "the app refuses the development key unless DEV_ENCRYPTION_KEY=allow; with no key it generates one beside its data",
  opts,
  async () => {
    const real = { DEMO_DATA: "off" };
    const unset = parseSettings(real);
    assert.equal(unset.localEncryptionKey, true);
    assert.equal(unset.encryptionKeyId, "local");
    assert.deepEqual(unset.encryptionKeys, [], "no key from the source is ever used");
    assert.throws(() => parseSettings({ ...real, ENCRYPTION_KEYS: `k1:${DEV_ENCRYPTION_KEY}` }), /development key/);
    assert.throws(() => parseSettings({ ...real, ID_ENCRYPTION_KEY: DEV_ENCRYPTION_KEY }), /ID_ENCRYPTION_KEY/);
    assert.throws(() => parseSettings({ ...real, ENCRYPTION_KEYS: `local:${"1a".repeat(32)}` }), /reserved/);
    assert.equal(parseSettings({ ...real, DEV_ENCRYPTION_KEY: "allow" }).encryptionKeyId, "dev");
    assert.equal(parseSettings({}).encryptionKeyId, "dev", "the demo shop allows the development key");
    assert.equal(parseSettings({ DEV_ENCRYPTION_KEY: "deny" }).localEncryptionKey, true);

    // The generated key: created once (owner-only), read back by every later start and concurrent starts.
    const dir = await Deno.makeTempDir();
    try {
      const settings = parseSettings({ ...real, DATA_DIR: `${dir}/data` });
      const [a, b, c] = await Promise.all([withLocalKey(settings), withLocalKey(settings), withLocalKey(settings)]);
      assert.equal(a.encryptionKeys.length, 1);
      assert.equal(b.encryptionKeys[0].hex, a.encryptionKeys[0].hex);
      assert.equal(c.encryptionKeys[0].hex, a.encryptionKeys[0].hex);
      assert.notEqual(a.encryptionKeys[0].hex, DEV_ENCRYPTION_KEY);
      assert.equal((await Deno.stat(localKeyPath(`${dir}/data`))).mode! & 0o777, 0o600);
      const later = await withLocalKey(settings);
      assert.equal(later.encryptionKeys[0].hex, a.encryptionKeys[0].hex);
      assert.equal(CryptoBox.fromSettings(later).open(CryptoBox.fromSettings(a).seal("13800000000")), "13800000000");
      await Deno.writeTextFile(localKeyPath(`${dir}/data`), "not a key");
      await assert.rejects(() => withLocalKey(settings), SettingsError);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    // In memory: PGlite's data lives no longer than the key; PostgreSQL's would, so it is refused.
    const memory = await withLocalKey(parseSettings({ ...real, DATA_DIR: "memory://" }));
    assert.equal(memory.encryptionKeys.length, 1);
    await assert.rejects(
      () => withLocalKey(parseSettings({ ...real, DATA_DIR: "memory://", DATABASE_URL: "postgres://x@127.0.0.1/x" })),
      SettingsError,
    );

    // The real thing: main.ts prints one line and exits 2 before opening anything.
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname],
      env: {
        DEMO_DATA: "off",
        DATA_DIR: "memory://",
        DATABASE_URL: "",
        ENCRYPTION_KEYS: `k1:${DEV_ENCRYPTION_KEY}`,
        ID_ENCRYPTION_KEY: "",
        DEV_ENCRYPTION_KEY: "",
        PORT: "0",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 2);
    assert.match(new TextDecoder().decode(out.stderr), /^Invalid setting ENCRYPTION_KEYS: .*development key/);
  },
);

Deno.test(
  "rotate-keys seals everything under the new key id; old keys open values until rotated; resumable",
  opts,
  async () => {
    const K1 = "1a".repeat(32);
    const K2 = "2b".repeat(32);
    const old = await createTestApp({ DEV_ENCRYPTION_KEY: "deny", ENCRYPTION_KEYS: `k1:${K1}` });
    try {
      const a = old.client();
      await a.login("admin@test.example", "admin-password-1");
      const pid = await product(a);
      const buyers: string[] = [];
      for (let i = 0; i < 3; i++) {
        const c = old.client();
        const u = await c.register(`rot${i}@example.com`, `Rot ${i}`);
        await c.json("PATCH", "/api/me/profile", { json: { phone: `1380000000${i}`, idNumber: ID_NUMBER } });
        await c.json("POST", "/api/me/addresses", { json: { ...ADDRESS, line1: `旋转路 ${i} 号` } });
        await buyAndPay(c, old.settings.paymentSandboxSecret, pid, 1, { ...ADDRESS, phone: `1380000000${i}` });
        buyers.push(u.id);
      }
      // Rows from before migration 0018 are in clear: an address, an order's address, a phone.
      await old.db.query(
        "INSERT INTO addresses (user_id, name, phone, line1, city, postcode) VALUES ($1, '旧名', '13999990000', '旧路 1 号', '旧城', NULL)",
        [buyers[0]],
      );
      await old.db.query("UPDATE users SET phone = '13999990000', phone_enc = NULL, phone_hash = NULL WHERE id = $1", [
        buyers[1],
      ]);
      const [legacyOrder] = await old.db.query<{ id: string }>(
        `INSERT INTO orders (number, user_id, status, subtotal, discount, points_discount, shipping, total, address,
                           idempotency_key, expires_at)
       VALUES ('LEGACY-1', $1, 'cancelled', 1, 0, 0, 0, 1, $2::text::jsonb, 'legacy', now()) RETURNING id`,
        [buyers[2], JSON.stringify({ name: "旧收件人", phone: "13999990000", line1: "旧路 2 号", city: "旧城" })],
      );
      assert.match(await rawRows(old.db), /v2:k1:/);

      const ring = new CryptoBox([{ id: "k1", hex: K1 }, { id: "k2", hex: K2 }], "k2");
      const onlyK2 = new CryptoBox([{ id: "k2", hex: K2 }], "k2");
      // Until rotated, the new ring still opens what k1 sealed, and look-ups find k1 hashes.
      assert.equal((await personalDataOf(old.db, ring, buyers[0])).phone, "13800000000");
      const [k1Phone] = await old.db.query<{ phone_enc: string }>("SELECT phone_enc FROM users WHERE id = $1", [
        buyers[0],
      ]);
      assert.throws(() => onlyK2.open(k1Phone.phone_enc), /key k1 is not in ENCRYPTION_KEYS/);
      const { findUserIdsByPhone } = await import("../db/users_repo.ts");
      assert.deepEqual(await findUserIdsByPhone(old.db, ring, "13800000002"), [buyers[2]], "found by its k1 hash");
      const backlog = await rotationBacklog(old.db, ring);
      assert.ok(backlog.users >= 3 && backlog.addresses === 4 && backlog.orders === 4, JSON.stringify(backlog));

      // Stopped after the first batch of 2, then started again: it carries on.
      const stop = new AbortController();
      const first = await rotateKeys(old.db, ring, { batchSize: 2, signal: stop.signal, progress: () => stop.abort() });
      assert.equal(first.users, 2);
      const second = await rotateKeys(old.db, ring, { batchSize: 2 });
      assert.equal(second.remaining, 0);
      assert.equal(second.failed, 0);
      assert.equal(first.users + second.users, backlog.users);
      assert.equal(second.addresses, 4);
      assert.equal(second.orders, 4);

      // Everything is under k2 now, nothing in clear, and k2 alone opens it all.
      const raw = await rawRows(old.db);
      assert.doesNotMatch(raw, /v2:k1:|v2:dev:/);
      for (const clear of ["13999990000", "旧路", "旧收件人", "旋转路", "1380000000"]) {
        assert.ok(
          !raw.includes(clear),
          clear,
        );
      }
      assert.equal((await personalDataOf(old.db, onlyK2, buyers[1])).phone, "13999990000");
      assert.equal((await personalDataOf(old.db, onlyK2, buyers[0])).idNumber, ID_NUMBER);
      const book = await listAddresses(old.db, onlyK2, buyers[0]);
      assert.deepEqual(book.map((x) => x.line1).sort(), ["旋转路 0 号", "旧路 1 号"].sort());
      const legacy = await findOrder(old.db, legacyOrder.id);
      assert.equal(openOrderAddress(onlyK2, legacy!).line1, "旧路 2 号");
      assert.deepEqual(legacy!.address, { city: "旧城", phoneLast4: "0000" });
      // Look-ups by phone use the new hashes; a further run has nothing to do.
      assert.deepEqual(await findUserIdsByPhone(old.db, onlyK2, "13999990000"), [buyers[1]]);
      const again = await rotateKeys(old.db, ring);
      assert.equal(again.users + again.addresses + again.orders, 0);
    } finally {
      await old.close();
    }
  },
);

Deno.test(
  "deno task rotate-keys runs the rotation on the configured database and refuses the development key",
  opts,
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const run = (env: Record<string, string>) =>
        new Deno.Command(Deno.execPath(), {
          args: ["task", "rotate-keys"],
          cwd: new URL("..", import.meta.url).pathname,
          env: { DATABASE_URL: "", DATA_DIR: `${dir}/data`, DEMO_DATA: "off", ID_ENCRYPTION_KEY: "", ...env },
          stdout: "piped",
          stderr: "piped",
        }).output();
      const ok = await run({ ENCRYPTION_KEYS: `k1:${"3c".repeat(32)}`, ENCRYPTION_KEY_ID: "", DEV_ENCRYPTION_KEY: "" });
      assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
      assert.match(
        new TextDecoder().decode(ok.stdout),
        /Sealed under key k1: 0 members, 0 addresses, 0 orders; 0 could not be opened; 0 left\./,
      );
      const refused = await run({
        ENCRYPTION_KEYS: `k1:${DEV_ENCRYPTION_KEY}`,
        ENCRYPTION_KEY_ID: "",
        DEV_ENCRYPTION_KEY: "",
      });
      assert.equal(refused.code, 2);
      assert.match(new TextDecoder().decode(refused.stderr), /Invalid setting ENCRYPTION_KEYS: .*development key/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
