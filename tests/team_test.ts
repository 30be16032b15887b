import assert from "node:assert/strict";
import { buyAndPay, createTestApp, type TestClient } from "./helpers.ts";
import { windowStart } from "../services/team.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

interface Member {
  client: TestClient;
  id: string;
  code: string;
  name: string;
}

interface Item {
  id: string;
  name: string;
  tier: number;
  joinedAt: string;
  sales30d: string;
  active: boolean;
  childCount: number;
}
interface Page {
  items: Item[];
  total: number;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

async function member(name: string, upline?: Member): Promise<Member> {
  const client = app.client();
  const user = await client.register(
    `m-${crypto.randomUUID().slice(0, 8)}@example.com`,
    name,
    upline ? { referralCode: upline.code } : {},
  );
  return { client, id: user.id, code: user.referralCode, name };
}

/** Today in the shop's time zone, and a day well outside the 30-day window. */
const today = windowStart(new Date(Date.now() + 29 * 86_400_000));
const longAgo = windowStart(new Date(Date.now() - 40 * 86_400_000));

// me ─┬─ 赵一鸣 (tier 1) ── 钱二丫 (2) ── 孙三石 (3) ── 李四海 (4: beyond my team)
//     └─ 周五福 (tier 1)
// 吴六顺 (another team) ── 郑七星
const me = await member("我自己");
const t1a = await member("赵一鸣", me);
const t1b = await member("周五福", me);
const t2 = await member("钱二丫", t1a);
const t3 = await member("孙三石", t2);
const t4 = await member("李四海", t3);
const outsider = await member("吴六顺");
const outsiderChild = await member("郑七星", outsider);

// Own purchases: 钱二丫 bought today (active), 周五福 only long ago (inactive, no 30-day sales).
await app.db.query(
  `INSERT INTO team_daily (ancestor_id, depth, day, sales, orders) VALUES
     ($1, 0, $3::date, 300.00, 2), ($2, 0, $4::date, 999.00, 1), ($5, 2, $3::date, 300.00, 2)
   ON CONFLICT (ancestor_id, day, depth) DO UPDATE SET sales = EXCLUDED.sales, orders = EXCLUDED.orders`,
  [t2.id, t1b.id, today, longAgo, me.id],
);

Deno.test(
  "the team endpoints and page need a session: 401 for the API, login redirect for the page",
  opts,
  async () => {
    const anon = app.client();
    for (const path of ["/api/me/team/children", "/api/me/team/search", `/api/me/team/children?parentId=${t1a.id}`]) {
      const res = await anon.json<ErrorBody>("GET", path);
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error.code, "unauthenticated");
    }
    const page = await anon.request("GET", "/distributor/team");
    assert.equal(page.status, 302);
    assert.equal(page.headers.get("location"), `/login?next=${encodeURIComponent("/distributor/team")}`);
  },
);

Deno.test("children: my direct referrals with full names, figures and child counts", opts, async () => {
  const res = await me.client.json<Page>("GET", "/api/me/team/children");
  assert.equal(res.status, 200);
  assert.equal(res.body.total, 2);
  assert.deepEqual(res.body.items.map((i) => i.name), ["周五福", "赵一鸣"], "newest first");
  const a = res.body.items.find((i) => i.id === t1a.id)!;
  assert.deepEqual(
    { tier: a.tier, childCount: a.childCount, sales30d: a.sales30d, active: a.active },
    { tier: 1, childCount: 1, sales30d: "0.00", active: false },
  );
  const b = res.body.items.find((i) => i.id === t1b.id)!;
  assert.equal(b.sales30d, "0.00", "purchases older than 30 days do not count");
  assert.equal(b.active, false);
  assert.equal(b.childCount, 0);
  assert.ok(!Number.isNaN(Date.parse(a.joinedAt)));
  assert.deepEqual(Object.keys(a).sort(), ["active", "childCount", "id", "joinedAt", "name", "sales30d", "tier"]);

  const self = await me.client.json<Page>("GET", `/api/me/team/children?parentId=${me.id}`);
  assert.deepEqual(self.body, res.body, "parentId = me is the same as no parentId");

  const paged = await me.client.json<Page>("GET", "/api/me/team/children?page=2&pageSize=1");
  assert.equal(paged.status, 200);
  assert.equal(paged.body.total, 2);
  assert.deepEqual(paged.body.items.map((i) => i.id), [t1a.id]);
});

Deno.test("children of a tier-1 and a tier-2 member: deeper names are masked, tier 3 is a leaf", opts, async () => {
  const ofTier1 = await me.client.json<Page>("GET", `/api/me/team/children?parentId=${t1a.id}`);
  assert.equal(ofTier1.status, 200);
  assert.equal(ofTier1.body.total, 1);
  assert.deepEqual(ofTier1.body.items[0], {
    ...ofTier1.body.items[0],
    id: t2.id,
    name: "钱**",
    tier: 2,
    sales30d: "300.00",
    active: true,
    childCount: 1,
  });
  const ofTier2 = await me.client.json<Page>("GET", `/api/me/team/children?parentId=${t2.id}`);
  assert.equal(ofTier2.status, 200);
  assert.deepEqual(ofTier2.body.items.map((i) => [i.id, i.name, i.tier, i.childCount]), [[t3.id, "孙**", 3, 0]]);

  const empty = await me.client.json<Page>("GET", `/api/me/team/children?parentId=${t1b.id}`);
  assert.deepEqual(empty.body, { items: [], total: 0 });

  // Seen from 赵一鸣, 钱二丫 is tier 1 (full name) and 孙三石 tier 2.
  const fromT1 = await t1a.client.json<Page>("GET", "/api/me/team/children");
  assert.deepEqual(fromT1.body.items.map((i) => i.name), ["钱二丫"]);
  const deeper = await t1a.client.json<Page>("GET", `/api/me/team/children?parentId=${t2.id}`);
  assert.deepEqual(deeper.body.items.map((i) => i.name), ["孙**"]);
});

Deno.test("children: 404 outside my downline, for my tier-3 members and for unknown ids", opts, async () => {
  for (const parentId of [t3.id, t4.id, outsider.id, outsiderChild.id, "999999999"]) {
    const res = await me.client.json<ErrorBody>("GET", `/api/me/team/children?parentId=${parentId}`);
    assert.equal(res.status, 404, `parentId ${parentId}`);
    assert.equal(res.body.error.code, "not_found");
  }
  // My upline is not in my downline either.
  const up = await t2.client.json<ErrorBody>("GET", `/api/me/team/children?parentId=${t1a.id}`);
  assert.equal(up.status, 404);
  // The outsider cannot look into my team.
  const peek = await outsider.client.json<ErrorBody>("GET", `/api/me/team/children?parentId=${t1a.id}`);
  assert.equal(peek.status, 404);
});

Deno.test("search: my three tiers only, masked beyond tier 1, filters, sorting and pages", opts, async () => {
  const all = await me.client.json<Page>("GET", "/api/me/team/search");
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 4, "tier 4 and other teams are not included");
  assert.deepEqual(
    all.body.items.map((i) => [i.name, i.tier]),
    [["孙**", 3], ["钱**", 2], ["周五福", 1], ["赵一鸣", 1]],
    "newest first by default",
  );
  const json = JSON.stringify(all.body);
  for (const hidden of ["钱二丫", "孙三石", "李四海", "吴六顺"]) assert.ok(!json.includes(hidden), hidden);

  const oldest = await me.client.json<Page>("GET", "/api/me/team/search?sort=joined&dir=asc");
  assert.deepEqual(oldest.body.items.map((i) => i.id), [t1a.id, t1b.id, t2.id, t3.id]);

  const bySales = await me.client.json<Page>("GET", "/api/me/team/search?sort=sales");
  assert.equal(bySales.body.items[0].id, t2.id);
  assert.equal(bySales.body.items[0].sales30d, "300.00");

  const byName = await me.client.json<Page>("GET", "/api/me/team/search?sort=name&dir=desc&pageSize=100");
  assert.equal(byName.status, 200);
  assert.equal(byName.body.items.length, 4);

  const tier1 = await me.client.json<Page>("GET", "/api/me/team/search?tier=1");
  assert.deepEqual(tier1.body.items.map((i) => i.id).sort(), [t1a.id, t1b.id].sort());
  assert.equal(tier1.body.total, 2);

  const active = await me.client.json<Page>("GET", "/api/me/team/search?active=yes");
  assert.deepEqual(active.body.items.map((i) => i.id), [t2.id]);
  const inactive = await me.client.json<Page>("GET", "/api/me/team/search?active=no");
  assert.equal(inactive.body.total, 3);

  const byName1 = await me.client.json<Page>("GET", `/api/me/team/search?q=${encodeURIComponent("一鸣")}`);
  assert.deepEqual(byName1.body.items.map((i) => i.id), [t1a.id]);
  // A hidden name cannot be probed; the initial a deeper member shows can be searched.
  const probe = await me.client.json<Page>("GET", `/api/me/team/search?q=${encodeURIComponent("二丫")}`);
  assert.deepEqual(probe.body, { items: [], total: 0 });
  const initial = await me.client.json<Page>("GET", `/api/me/team/search?q=${encodeURIComponent("钱")}`);
  assert.deepEqual(initial.body.items.map((i) => i.id), [t2.id]);
  const byId = await me.client.json<Page>("GET", `/api/me/team/search?q=${t3.id}`);
  assert.deepEqual(byId.body.items.map((i) => i.id), [t3.id]);
  const wildcard = await me.client.json<Page>("GET", `/api/me/team/search?q=${encodeURIComponent("%")}`);
  assert.deepEqual(wildcard.body, { items: [], total: 0 }, "LIKE wildcards are literal");

  const p2 = await me.client.json<Page>("GET", "/api/me/team/search?page=2&pageSize=3");
  assert.equal(p2.body.total, 4);
  assert.deepEqual(p2.body.items.map((i) => i.id), [t1a.id]);
  const beyond = await me.client.json<Page>("GET", "/api/me/team/search?page=9&pageSize=3");
  assert.deepEqual(beyond.body, { items: [], total: 4 });
  const beyondFiltered = await me.client.json<Page>("GET", `/api/me/team/search?q=${encodeURIComponent("钱")}&page=5`);
  assert.deepEqual(beyondFiltered.body, { items: [], total: 1 }, "the total is still given past the last page");
});

Deno.test(
  "GET /api/me/team?depth=3 masks names beyond tier 1 with the same rule as the pages, and search cannot probe them",
  opts,
  async () => {
    type Team = { members: { id: string; name: string; tier: number }[]; totals: { members: number } };
    const team = await me.client.json<Team>("GET", "/api/me/team?depth=3");
    assert.equal(team.status, 200);
    const byId = new Map(team.body.members.map((m) => [m.id, m]));
    assert.equal(byId.get(t1a.id)?.name, "赵一鸣");
    assert.equal(byId.get(t2.id)?.name, "钱**");
    assert.equal(byId.get(t3.id)?.name, "孙**");
    assert.equal(byId.has(t4.id), false);
    const text = JSON.stringify(team.body);
    for (const hidden of ["二丫", "三石"]) assert.ok(!text.includes(hidden), `"${hidden}" leaks`);
    // The search matches what is shown: a deeper member's full name finds nothing, their initial does.
    const probe = await me.client.json<Team>("GET", `/api/me/team?depth=3&q=${encodeURIComponent("孙三石")}`);
    assert.deepEqual(probe.body.members, []);
    const initial = await me.client.json<Team>("GET", `/api/me/team?depth=3&q=${encodeURIComponent("孙")}`);
    assert.deepEqual(initial.body.members.map((m) => [m.id, m.name]), [[t3.id, "孙**"]]);
    const tier1 = await me.client.json<Team>("GET", `/api/me/team?depth=3&q=${encodeURIComponent("一鸣")}`);
    assert.deepEqual(tier1.body.members.map((m) => m.id), [t1a.id]);
    // The pages' table shows the same names.
    const search = await me.client.json<Page>("GET", "/api/me/team/search");
    for (const item of search.body.items) assert.equal(item.name, byId.get(item.id)?.name, item.id);
  },
);

Deno.test("bad query parameters are 400 invalid_input with the field named", opts, async () => {
  const cases: [string, string][] = [
    ["/api/me/team/children?parentId=abc", "parentId"],
    ["/api/me/team/children?pageSize=500", "pageSize"],
    ["/api/me/team/children?page=0", "page"],
    ["/api/me/team/search?tier=4", "tier"],
    ["/api/me/team/search?tier=x", "tier"],
    ["/api/me/team/search?sort=email", "sort"],
    ["/api/me/team/search?dir=up", "dir"],
    ["/api/me/team/search?active=maybe", "active"],
    ["/api/me/team/search?pageSize=101", "pageSize"],
    [`/api/me/team/search?q=${"x".repeat(61)}`, "q"],
  ];
  for (const [path, field] of cases) {
    const res = await me.client.json<ErrorBody>("GET", path);
    assert.equal(res.status, 400, path);
    assert.equal(res.body.error.code, "invalid_input", path);
    assert.ok(res.body.error.fields?.[field], `${path}: ${JSON.stringify(res.body)}`);
  }
});

Deno.test(
  "the team page shows totals per tier, the tree and the table, with names masked beyond tier 1",
  opts,
  async () => {
    const res = await me.client.request("GET", "/distributor/team", {
      headers: { cookie: `${me.client.cookieHeader}; lang=en` },
    });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /data-testid="team-tree"/);
    assert.match(html, /data-testid="team-table"/);
    assert.equal(html.match(/data-testid="team-row"/g)?.length, 4);
    assert.equal(html.match(/data-testid="tree-node"/g)?.length, 2, "only my direct referrals are rendered");
    assert.match(html, /aria-expanded="false"/);
    assert.match(html, /赵一鸣/);
    assert.match(html, /钱\*\*/);
    for (const hidden of ["钱二丫", "孙三石", "李四海"]) assert.ok(!html.includes(hidden), `${hidden} leaked`);
    assert.match(html, /data-tier="2"[^]*?30-day sales ¥300\.00/);

    const filtered = await me.client.request("GET", "/distributor/team?tier=1&sort=name");
    assert.equal((await filtered.text()).match(/data-testid="team-row"/g)?.length, 2);
    const bad = await me.client.request("GET", "/distributor/team?tier=99&sort=nope");
    assert.equal(bad.status, 200, "bad table parameters fall back to defaults on the page");
  },
);

Deno.test("a 20,000-member downline: the page and the first search page render 50 rows", opts, async () => {
  const big = await member("大团长");
  // 50 tier-1 members × 19 tier-2 each × 20 tier-3 each = 50 + 950 + 19,000 = 20,000.
  await app.db.transaction(async (tx) => {
    const [{ first }] = await tx.query<{ first: string }>(
      `WITH ins AS (
         INSERT INTO users (email, name, password_hash, referral_code, upline_id, created_at)
         SELECT 'big1-' || g || '@t.example', '一级' || g, 'x', 'BIGA' || g, $1, now() - make_interval(hours => g)
           FROM generate_series(1, 50) g RETURNING id)
       SELECT min(id) AS first FROM ins`,
      [big.id],
    );
    await tx.query(
      `INSERT INTO users (email, name, password_hash, referral_code, upline_id, created_at)
       SELECT 'big2-' || p.id || '-' || g || '@t.example', '二级' || p.id || g, 'x', 'BIGB' || p.id || '-' || g, p.id,
              now() - make_interval(mins => g)
         FROM users p, generate_series(1, 19) g WHERE p.upline_id = $1`,
      [big.id],
    );
    await tx.query(
      `INSERT INTO users (email, name, password_hash, referral_code, upline_id, created_at)
       SELECT 'big3-' || p.id || '-' || g || '@t.example', '三级' || p.id || g, 'x', 'BIGC' || p.id || '-' || g, p.id,
              now() - make_interval(secs => g)
         FROM users p JOIN users pp ON pp.id = p.upline_id, generate_series(1, 20) g WHERE pp.upline_id = $1`,
      [big.id],
    );
    for (let depth = 1; depth <= 3; depth++) {
      const from = depth === 1
        ? "SELECT u.upline_id AS a, u.id AS d FROM users u WHERE u.id >= $1 AND u.upline_id IS NOT NULL"
        : `SELECT p.upline_id AS a, rp.descendant_id AS d FROM referral_paths rp JOIN users p ON p.id = rp.ancestor_id
            WHERE rp.depth = ${depth - 1} AND rp.descendant_id >= $1 AND p.upline_id IS NOT NULL`;
      await tx.query(
        `INSERT INTO referral_paths (ancestor_id, descendant_id, depth) SELECT a, d, ${depth} FROM (${from}) x`,
        [first],
      );
    }
    // Every 7th member bought today; the distributor's per-tier figures agree.
    await tx.query(
      `INSERT INTO team_daily (ancestor_id, depth, day, sales, orders)
       SELECT descendant_id, 0, $2::date, (descendant_id % 500) + 1, 1 FROM referral_paths
        WHERE ancestor_id = $1 AND descendant_id % 7 = 0`,
      [big.id, today],
    );
    await tx.query(
      `INSERT INTO team_daily (ancestor_id, depth, day, sales, orders)
       SELECT $1, depth, $2::date, sum((descendant_id % 500) + 1), count(*) FROM referral_paths
        WHERE ancestor_id = $1 AND descendant_id % 7 = 0 GROUP BY depth
       ON CONFLICT (ancestor_id, day, depth) DO UPDATE SET sales = EXCLUDED.sales, orders = EXCLUDED.orders`,
      [big.id, today],
    );
  });
  const [{ n }] = await app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM referral_paths WHERE ancestor_id = $1",
    [big.id],
  );
  assert.equal(n, 20_000);

  const page = await big.client.request("GET", "/distributor/team", {
    headers: { cookie: `${big.client.cookieHeader}; lang=en` },
  });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.equal(html.match(/data-testid="team-row"/g)?.length, 50);
  assert.equal(html.match(/data-testid="tree-node"/g)?.length, 20, "the first 20 of the 50 direct referrals");
  assert.match(html, /Load more \(30 left\)/);
  assert.match(html, /20000 members/);
  assert.match(html, /Page 1 of 400/);

  const search = await big.client.json<Page>("GET", "/api/me/team/search");
  assert.equal(search.status, 200);
  assert.equal(search.body.total, 20_000);
  assert.equal(search.body.items.length, 50);

  const bySales = await big.client.json<Page>("GET", "/api/me/team/search?sort=sales&page=2");
  assert.equal(bySales.status, 200);
  assert.equal(bySales.body.items.length, 50);
  const sales = bySales.body.items.map((i) => Number(i.sales30d));
  assert.deepEqual(sales, [...sales].sort((a, b) => b - a), "sorted by 30-day sales, highest first");
  assert.ok(bySales.body.items.every((i) => i.active));

  const deep = await big.client.json<Page>("GET", "/api/me/team/search?tier=3&sort=name&pageSize=100&page=190");
  assert.equal(deep.status, 200);
  assert.equal(deep.body.total, 19_000);
  assert.equal(deep.body.items.length, 100);
  assert.ok(deep.body.items.every((i) => i.name === "三**" && i.tier === 3 && i.childCount === 0));

  const initial = await big.client.json<Page>("GET", `/api/me/team/search?q=${encodeURIComponent("三")}&sort=sales`);
  assert.equal(initial.status, 200);
  assert.equal(initial.body.total, 19_000, "deeper members are found by the initial they show");
  assert.equal(initial.body.items.length, 50);
  const active = await big.client.json<Page>("GET", "/api/me/team/search?active=yes&tier=1&pageSize=100");
  assert.ok(active.body.total > 0);
  assert.equal(active.body.total, active.body.items.length);
  assert.ok(active.body.items.every((i) => i.active && Number(i.id) % 7 === 0));

  const top = await big.client.json<Page>("GET", "/api/me/team/children?pageSize=100");
  assert.equal(top.body.total, 50);
  assert.ok(top.body.items.every((i) => i.childCount === 19));
  const second = await big.client.json<Page>("GET", `/api/me/team/children?parentId=${top.body.items[0].id}`);
  assert.equal(second.body.total, 19);
  assert.ok(second.body.items.every((i) => i.childCount === 20 && i.tier === 2));
});

Deno.test("live sale events name the buyer by the same rule: in full to tier 1, masked beyond", opts, async () => {
  const admin = app.client();
  assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
  const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name: "Team event", category: "home", price: "50.00", costPrice: "20.00", stock: 5, lowStockThreshold: 1 },
  });
  const orderId = await buyAndPay(t3.client, app.settings.paymentSandboxSecret, product.body.product.id);
  const events = await app.db.query<{ rooms: string[]; data: { buyer: string; tier: number } }>(
    "SELECT rooms, data FROM events WHERE type = 'sale' AND data->>'orderId' = $1",
    [orderId],
  );
  const buyerSeenBy = Object.fromEntries(
    events.filter((e) => e.rooms[0].startsWith("user:")).map((e) => [e.rooms[0], e.data.buyer]),
  );
  assert.deepEqual(buyerSeenBy, { [`user:${t2.id}`]: "孙三石", [`user:${t1a.id}`]: "孙**", [`user:${me.id}`]: "孙**" });
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
