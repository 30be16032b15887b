/**
 * The console's lists (orders, after-sales, members, distributors, staff, withdrawals, settlements, audit):
 * sorting, filters and pagination applied in SQL (rows in the right order, every row on exactly one page,
 * the right counts), their state kept in links and form returns, bad sort or filter values refused with a
 * clear 400 that changes nothing, and the same permissions as before. Runs on PGlite and, with
 * `DATABASE_URL`, on PostgreSQL.
 */
import assert from "node:assert/strict";
import { createTestApp, type TestClient } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);

/** A member made a manager with a staff role, signed in. */
async function staff(email: string, name: string, role: "finance" | "operations" | "support"): Promise<TestClient> {
  const c = app.client();
  const user = await c.register(email, name);
  await app.db.query("UPDATE users SET role = 'manager', staff_role = $2 WHERE id = $1", [user.id, role]);
  return c;
}

async function page(c: TestClient, path: string, status = 200): Promise<string> {
  const res = await c.request("GET", path);
  const html = await res.text();
  assert.equal(res.status, status, `${path}: ${html.slice(0, 300)}`);
  return html;
}

/** The values of `attr` on the rows of the table `testid`, in page order. */
function rows(html: string, testid: string, attr = "data-id"): string[] {
  const start = html.indexOf(`data-testid="${testid}"`);
  assert.ok(start >= 0, `no table ${testid}`);
  const table = html.slice(start, html.indexOf("</table>", start));
  return [...table.matchAll(new RegExp(`<tr[^>]* ${attr}="([^"]+)"`, "g"))].map((m) => m[1]);
}

function countText(html: string): string {
  return /data-testid="count"[^>]*>([^<]*)/.exec(html)?.[1] ?? "";
}

const decode = (href: string) => href.replaceAll("&amp;", "&");

// 63 orders of one buyer: totals repeat (ties), placed an hour apart, paid unless waiting for payment.
const buyer = await app.client().register("lists-buyer@example.com", "列表买家");
await app.db.query(
  `INSERT INTO orders (user_id, status, subtotal, discount, points_discount, shipping, total, address, idempotency_key,
                       expires_at, created_at, paid_at)
   SELECT $1, (ARRAY['paid', 'shipped', 'pending_payment'])[1 + g % 3], t, 0, 0, 0, t,
          '{"city":"上海","phoneLast4":"0000"}', 'list-' || g, now() + interval '1 day', c,
          CASE WHEN g % 3 <> 2 THEN c + interval '1 hour' END
     FROM generate_series(1, 63) g,
          LATERAL (SELECT (10 + (g * 7) % 20 * 5)::numeric AS t,
                          timestamptz '2026-03-01 00:00+08' + g * interval '1 hour' AS c) x`,
  [buyer.id],
);
const numbers = async (where: string, order: string) =>
  (await app.db.query<{ number: string }>(`SELECT number FROM orders ${where} ORDER BY ${order}`)).map((r) => r.number);

Deno.test("orders: sorted by amount in SQL with ties broken by id; every order on exactly one page", opts, async () => {
  const expected = await numbers("", "total ASC, id ASC");
  const first = await page(admin, "/admin/orders?sort=total&dir=asc");
  const second = await page(admin, "/admin/orders?sort=total&dir=asc&page=2");
  assert.deepEqual(rows(first, "orders", "data-order"), expected.slice(0, 50));
  assert.deepEqual(rows(second, "orders", "data-order"), expected.slice(50));
  assert.match(countText(first), /共 63 单/);
  // The pager and the sort headers keep the sort; a header goes back to page 1.
  const next = decode(/href="([^"]+)" rel="next"/.exec(first)![1]);
  assert.equal(next, "?sort=total&dir=asc&page=2");
  assert.match(first, /aria-sort="ascending"[^>]*>\s*<a class="sort-link" href="\?sort=total&amp;dir=desc"/);
  assert.match(second, /<a class="sort-link" href="\?sort=paid&amp;dir=asc"/);
  const desc = await page(admin, "/admin/orders?sort=total&dir=desc");
  assert.deepEqual(rows(desc, "orders", "data-order"), (await numbers("", "total DESC, id DESC")).slice(0, 50));
  // Newest first by default, as before.
  assert.deepEqual(
    rows(await page(admin, "/admin/orders"), "orders", "data-order"),
    (await numbers("", "id DESC")).slice(0, 50),
  );
});

Deno.test(
  "orders: a status filter with a sort, paid time with unpaid orders last, day filters, CSV in the same order",
  opts,
  async () => {
    const paid = await page(admin, "/admin/orders?status=paid&sort=total&dir=desc");
    assert.deepEqual(rows(paid, "orders", "data-order"), await numbers("WHERE status = 'paid'", "total DESC, id DESC"));
    assert.match(countText(paid), /共 21 单/);
    // The search form keeps the status and the sort; the status chips keep the sort.
    assert.match(paid, /<input type="hidden" name="status" value="paid"\/>/);
    assert.match(paid, /<input type="hidden" name="sort" value="total"\/>/);
    assert.match(paid, /href="\/admin\/orders\?sort=total&amp;dir=desc&amp;status=shipped"/);
    for (const dir of ["asc", "desc"] as const) {
      const html = await page(admin, `/admin/orders?sort=paid&dir=${dir}&page=2`);
      const expected = await numbers("", `paid_at ${dir} NULLS LAST, id ${dir}`);
      assert.deepEqual(rows(html, "orders", "data-order"), expected.slice(50));
      const [{ unpaid }] = await app.db.query<{ unpaid: string }>(
        "SELECT string_agg(number, ',' ORDER BY id) AS unpaid FROM orders WHERE paid_at IS NULL",
      );
      assert.ok(unpaid.split(",").includes(expected.at(-1)!), "orders not paid come last either way");
    }
    const day = await page(admin, "/admin/orders?from=2026-03-02&to=2026-03-02&sort=total&dir=asc");
    const dayRows = rows(day, "orders", "data-order");
    assert.equal(dayRows.length, 24, "the shop day of 2 March holds 24 of the hourly orders");
    assert.deepEqual(
      dayRows,
      await numbers(
        "WHERE created_at >= timestamptz '2026-03-02 00:00+08' AND created_at < timestamptz '2026-03-03 00:00+08'",
        "total, id",
      ),
    );
    const csv = await (await admin.request("GET", "/admin/orders.csv?status=shipped&sort=total&dir=asc")).text();
    const csvNumbers = csv.trim().split("\n").slice(1).map((line) => line.split(",")[0].replace(/"/g, ""));
    assert.deepEqual(csvNumbers, await numbers("WHERE status = 'shipped'", "total, id"));
    const none = await page(admin, "/admin/orders?q=no-such-order");
    assert.match(none, /没有符合条件的订单/);
    assert.match(none, /href="\/admin\/orders"[^>]*>清除筛选/);
  },
);

Deno.test(
  "orders: a bad sort, direction, page or status is a clear 400 that changes nothing; empty values are defaults",
  opts,
  async () => {
    const [{ n: before }] = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM orders");
    for (
      const [query, field] of [
        ["sort=price", "排序字段只能是：created, total, paid"],
        ["sort=total%3B%20DROP%20TABLE%20orders", "排序字段只能是"],
        ["sort=total%20desc", "排序字段只能是"],
        ["sort=__proto__", "排序字段只能是"],
        ["dir=up", "排序方向只能是"],
        ["page=0", "page"],
        ["page=abc", "page"],
        ["status=lost", "请选择列表中的状态"],
        ["from=2026-13-45x", "from"],
      ]
    ) {
      const html = await page(admin, `/admin/orders?${query}`, 400);
      assert.match(html, new RegExp(field), query);
      assert.match(html, /<a class="btn btn-primary" href="\/admin\/orders">去掉筛选条件重新打开<\/a>/, query);
    }
    const [{ n: after }] = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM orders");
    assert.equal(after, before);
    // An untouched filter form sends empty values: the defaults.
    const empty = await page(admin, "/admin/orders?status=&q=&from=&to=&sort=&dir=&page=");
    assert.equal(rows(empty, "orders", "data-order").length, 50);
    // The API's order list keeps its contract: unknown parameters are ignored, newest first.
    const api = await admin.json<{ items: { number: string }[]; total: number }>(
      "GET",
      "/api/admin/orders?sort=total&dir=asc&pageSize=5",
    );
    assert.equal(api.status, 200);
    assert.deepEqual(api.body.items.map((o) => o.number), (await numbers("", "id DESC")).slice(0, 5));
  },
);

Deno.test(
  "after-sales: every request by status and kind, by order number, sorted; decided from the list and back",
  opts,
  async () => {
    const orders = await app.db.query<{ id: string; number: string }>(
      "SELECT id::text, number FROM orders WHERE status = 'paid' ORDER BY id LIMIT 6",
    );
    const kinds = ["refund_only", "return_refund", "exchange"];
    for (const [i, o] of orders.entries()) {
      await app.db.query("UPDATE orders SET status = 'refund_requested' WHERE id = $1", [o.id]);
      await app.db.query(
        `INSERT INTO refunds (order_id, user_id, kind, status, reason, amount, previous_status)
       VALUES ($1, $2, $3, $4, $5, $6, 'paid')`,
        [o.id, buyer.id, kinds[i % 3], i < 4 ? "requested" : "approved", `原因 ${i}`, `${(i * 37) % 50 + 1}.00`],
      );
    }
    const ids = async (where: string, order: string) =>
      (await app.db.query<{ id: string }>(`SELECT id::text FROM refunds r ${where} ORDER BY ${order}`)).map((r) =>
        r.id
      );
    const all = await page(admin, "/admin/refunds?sort=amount&dir=desc");
    assert.deepEqual(rows(all, "refunds"), await ids("", "r.amount + r.shipping_refund DESC, r.id DESC"));
    assert.match(countText(all), /共 6 条/);
    const waiting = await page(admin, "/admin/refunds?status=requested&kind=refund_only");
    assert.deepEqual(
      rows(waiting, "refunds"),
      await ids("WHERE status = 'requested' AND kind = 'refund_only'", "id DESC"),
    );
    const byNumber = await page(admin, `/admin/refunds?q=${orders[2].number}`);
    assert.equal(rows(byNumber, "refunds").length, 1);
    await page(admin, "/admin/refunds?kind=refund", 400);
    await page(admin, "/admin/refunds?status=done", 400);
    await page(admin, "/admin/refunds?sort=reason", 400);
    // Deciding on the filtered list: a refusal shows the same list with its message, a decision returns to it.
    const [target] = await ids("WHERE status = 'requested'", "id");
    const back = "/admin/refunds?status=requested&sort=amount";
    const refused = await admin.form(`/admin/refunds/${target}/reject?status=requested&sort=amount&from=refunds`, {
      reason: " ",
      back,
    });
    assert.equal(refused.status, 400);
    const refusedHtml = await refused.text();
    assert.match(refusedHtml, /data-testid="refunds"/);
    assert.match(refusedHtml, /role="alert">必填</);
    const done = await admin.form(`/admin/refunds/${target}/reject?from=refunds`, { reason: "不符合售后条件", back });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), back);
    const [row] = await app.db.query<{ status: string }>("SELECT status FROM refunds WHERE id = $1", [target]);
    assert.equal(row.status, "rejected");
    // A way back that leaves the console is not followed.
    const [other] = await ids("WHERE status = 'requested'", "id");
    const away = await admin.form(`/admin/refunds/${other}/reject`, {
      reason: "重复申请",
      back: "//evil.example/admin/x",
    });
    assert.equal(away.headers.get("location"), "/admin/orders");
  },
);

Deno.test(
  "members: search (a whole email only), role and level, sorted by spend; emails masked without pii.read",
  opts,
  async () => {
    await app.db.query(
      `INSERT INTO users (email, name, password_hash, referral_code, level, total_spent, points_balance)
     SELECT 'member' || g || '@lists.example', '名单会员' || g, 'x', 'LISTM' || g,
            (ARRAY['ordinary', 'silver', 'gold'])[1 + g % 3], (g * 13 % 40) * 10, g * 3
       FROM generate_series(1, 30) g`,
    );
    const spent = await page(admin, "/admin/members?sort=spent&dir=desc&level=silver");
    const expected = (await app.db.query<{ id: string }>(
      "SELECT id::text FROM users WHERE level = 'silver' ORDER BY total_spent DESC, id DESC",
    )).map((r) => r.id);
    assert.deepEqual(rows(spent, "members"), expected);
    assert.match(spent, /member\d+@lists\.example/, "an admin reads emails");
    const exact = await page(admin, "/admin/members?q=MEMBER7%40lists.example");
    assert.equal(rows(exact, "members").length, 1);
    const partial = await page(admin, "/admin/members?q=member7%40");
    assert.equal(rows(partial, "members").length, 0, "a part of an email finds nobody");
    assert.match(partial, /没有符合条件的记录/);
    assert.equal(rows(await page(admin, "/admin/members?q=LISTM12"), "members").length, 1, "a referral code");
    assert.equal(rows(await page(admin, "/admin/members?q=名单会员2"), "members").length, 11, "a part of a name");
    const support = await staff("lists-support@example.com", "客服小王", "support");
    const masked = await page(support, "/admin/members?role=shopper&sort=name");
    assert.doesNotMatch(masked, /member\d+@lists\.example/);
    assert.match(masked, /me\*+le/);
    await page(admin, "/admin/members?role=boss", 400);
    await page(admin, "/admin/members?level=platinum", 400);
    await page(admin, "/admin/members?sort=email", 400);
  },
);

Deno.test("distributors: searched, by rank, sorted and paged in SQL with the count", opts, async () => {
  await app.db.query(
    `INSERT INTO users (email, name, password_hash, referral_code, role, rank)
     SELECT 'dist' || g || '@lists.example', '分销员' || lpad(g::text, 2, '0'), 'x', 'LISTD' || g, 'distributor',
            (ARRAY['standard', 'silver', 'gold'])[1 + g % 3]
       FROM generate_series(1, 55) g`,
  );
  const all = (await app.db.query<{ id: string }>(
    "SELECT id::text FROM users WHERE role = 'distributor' ORDER BY name ASC, id ASC",
  )).map((r) => r.id);
  const first = await page(admin, "/admin/distributors?sort=name");
  const second = await page(admin, "/admin/distributors?sort=name&page=2");
  assert.deepEqual([...rows(first, "distributors"), ...rows(second, "distributors")], all);
  assert.equal(rows(first, "distributors").length, 50);
  assert.match(countText(first), new RegExp(`共 ${all.length} 条`));
  const gold = await page(admin, "/admin/distributors?rank=gold&sort=name&dir=desc");
  assert.deepEqual(
    rows(gold, "distributors"),
    (await app.db.query<{ id: string }>(
      "SELECT id::text FROM users WHERE role = 'distributor' AND rank = 'gold' ORDER BY name DESC, id DESC",
    )).map((r) => r.id),
  );
  const ranked = rows(await page(admin, "/admin/distributors?sort=rank&dir=desc"), "distributors");
  const ranks = await app.db.query<{ id: string; rank: string }>(
    "SELECT id::text, rank FROM users WHERE id = ANY($1::bigint[])",
    [
      ranked,
    ],
  );
  const order = ["standard", "silver", "gold"];
  const byId = Object.fromEntries(ranks.map((r) => [r.id, order.indexOf(r.rank)]));
  assert.deepEqual(ranked.map((id) => byId[id]), [...ranked.map((id) => byId[id])].sort((a, b) => b - a));
  assert.equal(rows(await page(admin, "/admin/distributors?q=分销员0"), "distributors").length, 9);
  const beyond = await page(admin, "/admin/distributors?page=9");
  assert.match(beyond, /没有符合条件的记录|还没有分销员/);
  assert.match(beyond, /rel="prev"/, "past the last page the pager still leads back");
  await page(admin, "/admin/distributors?rank=diamond", 400);
  await page(admin, "/admin/distributors?sort=sales", 400);
});

Deno.test(
  "staff: by role and name, sorted; a role change returns to the filtered list; only admins",
  opts,
  async () => {
    const finance = await staff("lists-finance@example.com", "财务小李", "finance");
    await staff("lists-ops@example.com", "运营小周", "operations");
    const byName = await page(admin, "/admin/staff?sort=name&dir=desc");
    assert.deepEqual(
      rows(byName, "staff"),
      (await app.db.query<{ id: string }>(
        "SELECT id::text FROM users WHERE role = 'manager' ORDER BY name DESC, id DESC",
      ))
        .map((r) => r.id),
    );
    const onlyFinance = await page(admin, "/admin/staff?role=finance");
    assert.equal(rows(onlyFinance, "staff").length, 1);
    assert.match(onlyFinance, /aria-label="财务小李 的岗位"/);
    assert.match(onlyFinance, /aria-label="保存岗位 财务小李"/);
    const admins = await page(admin, "/admin/staff?role=admin");
    assert.equal(rows(admins, "staff").length, 1, "the first manager, without a staff role, is an admin");
    await page(admin, "/admin/staff?role=owner", 400);
    const [ops] = await app.db.query<{ id: string }>(
      "SELECT id::text FROM users WHERE email = 'lists-ops@example.com'",
    );
    const back = "/admin/staff?role=operations&sort=name&dir=desc";
    const changed = await admin.form("/admin/staff", { userId: ops.id, staffRole: "support", back });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get("location"), back);
    const outside = await admin.form("/admin/staff", {
      userId: ops.id,
      staffRole: "operations",
      back: "https://evil.example/",
    });
    assert.equal(outside.headers.get("location"), "/admin/staff");
    assert.equal((await finance.request("GET", "/admin/staff?sort=name")).status, 403);
  },
);

Deno.test(
  "withdrawals and settlements: by status and search, sorted, paged; day filters on periods",
  opts,
  async () => {
    const [dist] = await app.db.query<{ id: string }>("SELECT id::text FROM users WHERE email = 'dist1@lists.example'");
    await app.db.query(
      `INSERT INTO withdrawals (user_id, amount, fee, tax, net, status, idempotency_key, created_at)
     SELECT $1, (g * 17 % 90 + 10), 0, 0, (g * 17 % 90 + 10), (ARRAY['requested', 'paid', 'rejected'])[1 + g % 3],
            'lists-w-' || g, now() - g * interval '1 day'
       FROM generate_series(1, 12) g`,
      [dist.id],
    );
    const paid = await page(admin, "/admin/withdrawals?status=paid&sort=amount&dir=asc");
    assert.deepEqual(
      rows(paid, "withdrawals"),
      (await app.db.query<{ id: string }>("SELECT id::text FROM withdrawals WHERE status = 'paid' ORDER BY amount, id"))
        .map((r) => r.id),
    );
    assert.match(countText(paid), /共 4 条/);
    assert.match(paid, /<input type="hidden" name="status" value="paid"\/>/);
    assert.equal(rows(await page(admin, "/admin/withdrawals?q=分销员01"), "withdrawals").length, 12);
    assert.equal(rows(await page(admin, "/admin/withdrawals?q=nobody"), "withdrawals").length, 0);
    await page(admin, "/admin/withdrawals?status=approved", 400);
    await page(admin, "/admin/withdrawals?sort=tax", 400);

    for (
      const [i, [start, end]] of [["2026-01-01", "2026-01-08"], ["2026-01-08", "2026-01-15"], [
        "2026-01-15",
        "2026-01-22",
      ]].entries()
    ) {
      const [p] = await app.db.query<{ id: string }>(
        `INSERT INTO settlement_periods (starts_at, ends_at, watermark)
       VALUES ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai', $2::date::timestamp AT TIME ZONE 'Asia/Shanghai', 0)
       RETURNING id::text`,
        [start, end],
      );
      await app.db.query(
        `INSERT INTO statements (period_id, user_id, opening, credits, reversals, withdrawals, tax, closing, lines)
       VALUES ($1, $2, 0, $3, 0, 0, 0, $3, '[]')`,
        [p.id, dist.id, [30, 90, 60][i]],
      );
    }
    const periods = async (order: string, where = "") =>
      (await app.db.query<{ id: string }>(`SELECT id::text FROM settlement_periods ${where} ORDER BY ${order}`)).map((
        r,
      ) => r.id);
    const owed = await page(admin, "/admin/settlements?sort=owed&dir=desc");
    const owedRows = rows(owed, "periods");
    assert.equal(owedRows.length, 3);
    assert.deepEqual(owedRows, [(await periods("id"))[1], (await periods("id"))[2], (await periods("id"))[0]]);
    // review13 (axe label-content-name-mismatch): each period link's name begins with its visible text.
    const links = [...owed.matchAll(/<a href="\/admin\/settlements\/\d+" aria-label="([^"]*)">([^<]*)<\/a>/g)];
    assert.equal(links.length, 3);
    for (const [, label, text] of links) assert.ok(label.startsWith(text), `${label} / ${text}`);
    assert.match(owed, /2026-01-08 00:00/, "times in shop time, with the year");
    const week = await page(admin, "/admin/settlements?from=2026-01-10&to=2026-01-12");
    assert.deepEqual(rows(week, "periods"), [(await periods("id"))[1]]);
    await page(admin, "/admin/settlements?from=yesterday", 400);
    await page(admin, "/admin/settlements?sort=closed", 400);
  },
);

Deno.test("audit: sorted by action or actor in SQL with the search kept; a bad sort is 400", opts, async () => {
  const html = await page(admin, "/admin/audit?sort=action&dir=asc");
  const [first] = await app.db.query<{ action: string }>("SELECT action FROM audit_log ORDER BY action, id LIMIT 1");
  const firstRow = /<tbody>[\s\S]*?<code>([^<]+)<\/code>/.exec(html)![1];
  assert.equal(firstRow, first.action);
  assert.match(html, /href="\/admin\/audit\?sort=action&amp;dir=asc&amp;format=csv"/);
  const csv = await (await admin.request("GET", "/admin/audit?sort=action&dir=desc&format=csv")).text();
  const actions = csv.trim().split("\n").slice(1).map((l) => l.split(",")[3]);
  assert.deepEqual(actions, [...actions].sort().reverse());
  await page(admin, "/admin/audit?sort=ip", 400);
  await page(admin, "/admin/audit?dir=sideways", 400);
});

Deno.test(
  "permissions are unchanged: each list answers by staff role; visitors sign in and come back with the query",
  opts,
  async () => {
    const support = app.client();
    await support.login("lists-support@example.com", "password-123");
    const finance = app.client();
    await finance.login("lists-finance@example.com", "password-123");
    const expect: [string, number, number][] = [
      ["/admin/orders?sort=total", 200, 200],
      ["/admin/refunds?status=requested", 200, 200],
      ["/admin/members?sort=spent", 200, 200],
      ["/admin/distributors?sort=name", 200, 200],
      ["/admin/withdrawals?status=paid", 403, 200],
      ["/admin/settlements?sort=owed", 403, 200],
      ["/admin/audit?sort=action", 403, 200],
      ["/admin/staff?sort=name", 403, 403],
    ];
    for (const [path, supportStatus, financeStatus] of expect) {
      assert.equal((await support.request("GET", path)).status, supportStatus, `support ${path}`);
      assert.equal((await finance.request("GET", path)).status, financeStatus, `finance ${path}`);
    }
    const shopper = app.client();
    await shopper.register("lists-shopper@example.com", "顾客");
    assert.equal((await shopper.request("GET", "/admin/refunds")).status, 403);
    assert.equal((await shopper.request("GET", "/admin/members")).status, 403);
    const visitor = await app.client().request("GET", "/admin/orders?status=paid&sort=total&dir=asc");
    assert.equal(visitor.status, 302);
    assert.equal(
      visitor.headers.get("location"),
      `/login?next=${encodeURIComponent("/admin/orders?status=paid&sort=total&dir=asc").replaceAll("%2F", "/")}`,
    );
    // Finance reads after-sales but may not decide: no decision forms on the list (support may).
    assert.doesNotMatch(await page(finance, "/admin/refunds?status=requested"), /\/reject/);
    assert.match(await page(support, "/admin/refunds?status=requested"), /\/reject\?status=requested&amp;from=refunds/);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
