import assert from "node:assert/strict";
import { renderStored } from "../i18n/messages.ts";
import { createTestApp, type TestClient } from "./helpers.ts";
import {
  alertSalesDrops,
  distributorOverview,
  distributorProfile,
  pendingApplications,
} from "../services/distributors_admin.ts";
import type { StaffRole } from "../domain/permissions.ts";
import type { UserRow } from "../db/users_repo.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

/** 15 May 2026, noon in Shanghai: 14 complete days of May; tags read February to April. */
const NOW = new Date("2026-05-15T04:00:00Z");

interface Member {
  id: string;
  code: string;
}

async function member(name: string, upline?: Member): Promise<Member> {
  const user = await app.client().register(
    `da-${crypto.randomUUID().slice(0, 8)}@example.com`,
    name,
    upline ? { referralCode: upline.code } : {},
  );
  return { id: user.id, code: user.referralCode };
}

async function distributor(name: string): Promise<Member> {
  const m = await member(name);
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${m.id}/role`, { json: { role: "distributor" } })).status,
    200,
  );
  return m;
}

let orderSeq = 0;
/** A paid order of `total` by `buyer` at `paidAt` (inserted directly: only the figures matter here). */
async function paidOrder(buyer: Member, total: string, paidAt: string): Promise<string> {
  const [row] = await app.db.query<{ id: string }>(
    `INSERT INTO orders (number, user_id, status, subtotal, discount, points_discount, shipping, total, address,
                         idempotency_key, expires_at, paid_at)
     VALUES ($1, $2, 'paid', $3, 0, 0, 0, $3, '{}'::jsonb, $1, $4, $4) RETURNING id`,
    [`DA${Date.now()}${++orderSeq}`, buyer.id, total, paidAt],
  );
  return String(row.id);
}

/** A refund of an order in a given state, decided at `decidedAt`. */
async function refund(orderId: string, buyer: Member, status: string, amount: string, shipping: string, at: string) {
  await app.db.query(
    `INSERT INTO refunds (order_id, user_id, kind, status, reason, amount, shipping_refund, previous_status, decided_at, created_at)
     VALUES ($1, $2, 'refund_only', $3, 'test', $4, $5, 'paid', $6, $6)`,
    [orderId, buyer.id, status, amount, shipping, at],
  );
}

// boss ── t1 ── t2 ── t3 ── t4 (depth 4: not boss's team)
const boss = await distributor("下滑老板");
const t1 = await member("一级", boss);
const t2 = await member("二级", t1);
const t3 = await member("三级", t2);
const t4 = await member("四级", t3);
// big ── b1: the best seller this month.
const big = await distributor("本月冠军");
const b1 = await member("冠军下线", big);
const quiet = await distributor("安静");

await paidOrder(t1, "6000.00", "2026-02-10T02:00:00Z");
const march = await paidOrder(t2, "6500.00", "2026-03-10T02:00:00Z");
// Approved in April, counted in March (the month its order was paid).
await refund(march, t2, "approved", "90.00", "10.00", "2026-04-02T02:00:00Z");
const april = await paidOrder(t3, "7000.00", "2026-04-05T02:00:00Z");
await refund(april, t3, "approved", "200.00", "0.00", "2026-04-08T02:00:00Z");
await refund(april, t3, "requested", "500.00", "0.00", "2026-04-09T02:00:00Z"); // not approved: not counted
await refund(april, t3, "rejected", "700.00", "0.00", "2026-04-09T02:00:00Z");
await paidOrder(t2, "100.00", "2026-03-31T17:00:00Z"); // 1 April 01:00 in Shanghai: April
await paidOrder(t4, "9999.00", "2026-04-06T02:00:00Z"); // depth 4: never boss's
await paidOrder(t1, "300.00", "2026-05-03T02:00:00Z");
await paidOrder(t1, "1000.00", "2026-05-15T01:00:00Z"); // today: this month so far, not yet a complete day
await paidOrder(b1, "50000.00", "2026-05-02T02:00:00Z");

Deno.test(
  "distributorProfile(): team sales and approved refunds per month from the downline at depth 1–3",
  opts,
  async () => {
    const p = (await distributorProfile(app.db, boss.id, NOW))!;
    assert.deepEqual(p.months, [
      { month: "2026-02", sales: "6000.00", refunds: "0.00", net: "6000.00", refundRate: "0.0000" },
      { month: "2026-03", sales: "6500.00", refunds: "100.00", net: "6400.00", refundRate: "0.0154" },
      { month: "2026-04", sales: "7100.00", refunds: "200.00", net: "6900.00", refundRate: "0.0282" },
      { month: "2026-05", sales: "1300.00", refunds: "0.00", net: "1300.00", refundRate: "0.0000" },
    ]);
    assert.deepEqual(p.sales, { thisMonth: "1300.00", lastMonth: "6900.00", twoMonthsAgo: "6400.00" });
    // ≥ ¥5,000 net each month with refunds under 5 % every month: 优质.
    assert.deepEqual(p.tags, [{ tag: "优质", rule: "quality" }]);
    // May 1–14 (¥300) against April 1–14 (¥7,100 - ¥200): down 95.65 %.
    assert.deepEqual(p.drop, { days: 14, previous: "6900.00", current: "300.00", change: "-0.9565" });
    assert.equal(await distributorProfile(app.db, t4.id, NOW), null, "a member without a team is no distributor");
    assert.equal(await distributorProfile(app.db, "abc", NOW), null);
    const q = (await distributorProfile(app.db, quiet.id, NOW))!;
    assert.deepEqual([q.tags, q.drop, q.sales.thisMonth], [[], null, "0.00"]);
  },
);

Deno.test(
  "distributorOverview(): ranked by this month's sales, and drop alerts beyond the capped list",
  opts,
  async () => {
    const { profiles, alerts } = await distributorOverview(app.db, NOW, 1);
    assert.deepEqual(profiles.map((p) => p.id), [big.id]);
    // boss, and t1, t2, t3 (each the head of a smaller team that bought in April and not in May).
    assert.deepEqual(alerts.map((p) => p.id).sort(), [boss.id, t1.id, t2.id, t3.id].sort());
    // On 5 May only 4 days are complete: too early to compare, so no alert.
    assert.deepEqual((await distributorOverview(app.db, new Date("2026-05-05T04:00:00Z"))).alerts, []);
  },
);

Deno.test(
  "alertSalesDrops(): one event and one notification per manager, once per distributor and month",
  opts,
  async () => {
    const count = async (sql: string, params: unknown[] = []) => (await app.db.query<{ n: number }>(sql, params))[0].n;
    const [{ n: managers }] = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE role = 'manager'",
    );
    assert.equal(await alertSalesDrops(app.db, NOW), 4);
    assert.equal(await alertSalesDrops(app.db, new Date(NOW.getTime() + 3_600_000)), 0, "an hour later: no repeat");
    assert.equal(await count("SELECT count(*)::int AS n FROM notifications WHERE kind = 'sales_drop'"), managers * 4);
    const [event] = await app.db.query<{ rooms: string[]; data: Record<string, unknown> }>(
      "SELECT rooms, data FROM events WHERE type = 'sales_drop' AND data->>'userId' = $1",
      [boss.id],
    );
    assert.deepEqual(event.rooms, ["managers"]);
    assert.deepEqual(event.data, {
      userId: boss.id,
      name: "下滑老板",
      month: "2026-05",
      days: 14,
      previous: "6900.00",
      current: "300.00",
      change: "-0.9565",
    });
    const [note] = await app.db.query<{ title: string; body: string; priority: string }>(
      "SELECT title, body, priority FROM notifications WHERE kind = 'sales_drop' AND title LIKE '%下滑老板%' LIMIT 1",
    );
    assert.equal(note.priority, "important");
    // Stored as a catalogue message, rendered in the reader's language.
    assert.match(renderStored("zh-CN", note.title), /下滑老板/);
    assert.match(renderStored("zh-CN", note.body), /¥300\.00.*¥6900\.00.*95\.7/);
    assert.match(renderStored("en", note.body), /¥300\.00 against ¥6900\.00/);
    // June: boss (May 1–19 ¥1,300 → ¥0) and big (¥50,000 → ¥0) dropped again: a new month, new alerts.
    assert.equal(await alertSalesDrops(app.db, new Date("2026-06-20T04:00:00Z")), 2);
    assert.equal(await count("SELECT count(*)::int AS n FROM events WHERE type = 'sales_drop'"), 6);
  },
);

async function staff(role: StaffRole): Promise<{ client: TestClient; user: UserRow }> {
  const client = app.client();
  const user = await client.register(`${role}-${crypto.randomUUID().slice(0, 6)}@example.com`, role);
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } })).status,
    200,
  );
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${user.id}/staff-role`, { json: { staffRole: role } })).status,
    200,
  );
  const [row] = await app.db.query<UserRow>("SELECT * FROM users WHERE id = $1", [user.id]);
  return { client, user: row };
}

async function html(client: TestClient, path: string): Promise<string> {
  const res = await client.request("GET", path);
  assert.equal(res.status, 200, path);
  return await res.text();
}

Deno.test(
  "the distributors page lists drop alerts at the top and shows each tag's rule as text, in both languages",
  opts,
  async () => {
    const realNow = app.shop.now;
    app.shop.now = () => NOW;
    try {
      const zh = await html(admin, "/admin/distributors");
      const alerts = zh.indexOf('data-testid="drop-alerts"');
      assert.ok(alerts > 0 && alerts < zh.indexOf('data-testid="distributors"'), "alerts come before the table");
      assert.match(
        zh.slice(alerts, zh.indexOf("</ul>", alerts)),
        /下滑老板.*本月前 14 天 ¥300\.00，上月同期 ¥6900\.00/s,
      );
      assert.match(zh, /3 个完整月每月团队销售 ≥ ¥5,000，且每月退款率 &lt; 5%/);
      assert.match(zh, /从每月 8 日起/);
      admin.cookies.set("lang", "en");
      const en = await html(admin, "/admin/distributors");
      assert.match(en, /Sales drop alerts/);
      assert.match(en, /first 14 days ¥300\.00 against ¥6900\.00 last month \(down 95\.7 %\)/);
      assert.match(en, /优质 Quality<\/span> <span class="muted">team sales ≥ ¥5,000 in each of 3 complete months/);
      assert.doesNotMatch(en, /title="3 个月/);
      const profile = await html(admin, `/admin/distributors/${boss.id}`);
      assert.match(profile, /2026-04<\/td><td>¥7100\.00<\/td><td>¥200\.00<\/td><td>¥6900\.00<\/td><td>2\.8%/);
      assert.match(profile, /team sales ≥ ¥5,000 in each of 3 complete months/);
      assert.match(profile, /first 14 days ¥300\.00/);
    } finally {
      admin.cookies.delete("lang");
      app.shop.now = realNow;
    }
  },
);

Deno.test("an application's contact: masked for support, in full for finance (console and API)", opts, async () => {
  const applicant = app.client();
  const user = await applicant.register(`ap-${crypto.randomUUID().slice(0, 6)}@example.com`, "申请人");
  const applied = await applicant.json("POST", "/api/me/distributor-application", {
    json: { contact: "13812345678", channels: "朋友圈" },
  });
  assert.equal(applied.status, 201);
  const wechat = app.client();
  await wechat.register(`ap-${crypto.randomUUID().slice(0, 6)}@example.com`, "微信申请人");
  const viaWechat = await wechat.json("POST", "/api/me/distributor-application", {
    json: { contact: "wxid_zhang88", channels: "微信群" },
  });
  assert.equal(viaWechat.status, 201);
  const support = await staff("support");
  const finance = await staff("finance");
  const operations = await staff("operations");

  for (const path of ["/admin/distributors"]) {
    const masked = await html(support.client, path);
    assert.ok(masked.includes("138****5678") && masked.includes("wx********88"), "support sees masked contacts");
    assert.ok(!masked.includes("13812345678") && !masked.includes("wxid_zhang88"));
    const ops = await html(operations.client, path);
    assert.ok(!ops.includes("13812345678") && ops.includes("138****5678"), "operations sees masked contacts");
    const full = await html(finance.client, path);
    assert.ok(full.includes("13812345678") && full.includes("wxid_zhang88"), "finance sees full contacts");
  }
  // The applicant's profile (qualifications) once they are a distributor.
  await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "distributor" } });
  const profileMasked = await html(support.client, `/admin/distributors/${user.id}`);
  assert.ok(profileMasked.includes("138****5678") && !profileMasked.includes("13812345678"));
  assert.ok((await html(finance.client, `/admin/distributors/${user.id}`)).includes("13812345678"));

  type List = { items: { name: string; contact: string }[] };
  const api = async (c: TestClient) =>
    Object.fromEntries(
      (await c.json<List>("GET", "/api/admin/distributor-applications")).body.items.map((a) => [a.name, a.contact]),
    );
  assert.deepEqual(await api(support.client), { 申请人: "138****5678", 微信申请人: "wx********88" });
  assert.deepEqual(await api(finance.client), { 申请人: "13812345678", 微信申请人: "wxid_zhang88" });
  assert.deepEqual((await pendingApplications(app.db, support.user)).map((a) => a.contact).sort(), [
    "138****5678",
    "wx********88",
  ]);
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
