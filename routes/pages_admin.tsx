import { Hono } from "hono";
import { appConfig } from "../fresh.config.ts";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { renderPage } from "../lib/render.tsx";
import { Island } from "../lib/island.tsx";
import { memberSnapshot } from "../services/dashboard.ts";
import { toCsv } from "../lib/csv.ts";
import { xlsxResponse } from "../lib/xlsx_response.ts";
import { tablesPdf } from "../lib/pdf.ts";
import { AdminNav } from "../components/AdminNav.tsx";
import { staffPage } from "./staff_page.ts";
import MembersLive from "../islands/MembersLive.tsx";
import AdminAnalytics from "../islands/AdminAnalytics.tsx";
import StockAlerts from "../islands/StockAlerts.tsx";
import WithdrawalAlerts from "../islands/WithdrawalAlerts.tsx";
import { withdrawalsForReview } from "../services/earnings.ts";
import PlanEditor, { PLAN_LABELS, type PlanLabel } from "../islands/PlanEditor.tsx";
import { can, staffRoleOf } from "../domain/permissions.ts";
import { currentPlan, ensurePlan } from "../services/distribution.ts";
import { type AnalyticsSnapshot, analyticsSnapshot, orderCities } from "../services/analytics.ts";
import { RANKS } from "../domain/commission/plan.ts";
import { clientIp, readQuery } from "../lib/http.ts";
import { parseInput } from "../lib/validate.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { z } from "zod";

const analyticsFilterSchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30),
  city: text().trim().max(60).optional(),
  rank: z.enum(RANKS).or(z.literal("")).optional(),
});
import type { MessageKey } from "../i18n/messages.ts";
import { text } from "../lib/text.ts";

/** The analytics home's tables, by the name their download links use. */
const ANALYTICS_TABLES = ["top-products", "top-distributors", "commission-by-tier", "orders-per-minute"] as const;
type AnalyticsTable = typeof ANALYTICS_TABLES[number];

/** One analytics table as rows (header first), as the page shows it: the top ten of a ranking. */
function analyticsTable(a: AnalyticsSnapshot, table: AnalyticsTable, t: Ctx["var"]["t"]): string[][] {
  switch (table) {
    case "top-products":
      return [
        ["product_id", t("an.product"), t("an.units"), t("an.sales")],
        ...a.topProducts.slice(0, 10).map((p) => [p.productId, p.name, String(p.units), p.sales]),
      ];
    case "top-distributors":
      return [
        ["member_id", t("an.distributor"), t("an.sales"), t("an.commission")],
        ...a.topDistributors.slice(0, 10).map((d) => [d.id, d.name, d.sales, d.commission]),
      ];
    case "commission-by-tier":
      return [
        [t("an.tier"), t("an.commission")],
        ...a.commissionByTier.map((x) => [t(`an.tier${x.tier}` as MessageKey), x.amount]),
      ];
    case "orders-per-minute":
      return [[t("an.minute"), t("an.orders")], ...a.perMinute.map((m) => [m.minute, String(m.orders)])];
  }
}

/** What the live analytics island starts from (and re-syncs to): the live state, yesterday, the event id. */
function liveAnalytics(a: AnalyticsSnapshot) {
  return {
    state: {
      gmv: a.gmv,
      orders: a.orders,
      commission30: a.commission30,
      gmv30: a.gmv30,
      perMinute: a.perMinute,
      topProducts: a.topProducts,
      commissionByTier: a.commissionByTier,
      newMembers: a.newMembers,
      visitors: a.visitors,
      buyersToday: a.buyersToday,
      buyers: a.buyers,
      repeatBuyers: a.repeatBuyers,
      lifetime: a.lifetime,
      onSale: a.onSale,
      slowProductIds: a.slowProductIds,
      topDistributors: a.topDistributors,
      newDistributors: a.newDistributors,
    },
    yesterday: a.yesterday,
    lastEventId: a.lastEventId,
  };
}

/** An analytics table (with the page's filters) as a CSV or XLSX download; audited, as it may name members. */
/** The analytics filters of the query string, as the snapshot takes them. */
function analyticsFilter(c: Ctx) {
  const f = readQuery(c, analyticsFilterSchema);
  return { f, filter: { days: f.days, city: f.city || undefined, rank: f.rank || undefined } };
}

async function analyticsExport(c: Ctx) {
  const s = staffPage(c, "analytics.read");
  if ("redirect" in s) return s.redirect;
  const user = s.user;
  const [name, ext] = (c.req.param("file") ?? "").split(".");
  const { table, format } = parseInput(
    z.object({ table: z.enum(ANALYTICS_TABLES), format: z.enum(["csv", "xlsx"]) }),
    { table: name, format: ext },
  );
  const { f, filter } = analyticsFilter(c);
  const db = c.get("deps").db;
  const a = await analyticsSnapshot(db, new Date(), filter);
  const rows = analyticsTable(a, table, c.get("t"));
  await appendAudit(db, {
    actorId: String(user.id),
    action: "data.export",
    target: `analytics:${table}`,
    ip: clientIp(c),
    after: { rows: rows.length - 1, format, filter: f },
  });
  if (format === "xlsx") return xlsxResponse(c, rows, table);
  return c.body(toCsv(rows), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${table}.csv"`,
  });
}

/** The manager console home. */
export const pagesAdmin = new Hono<AppEnv>()
  .get("/admin", async (c) => {
    const s = staffPage(c, "analytics.read");
    if ("redirect" in s) return s.redirect;
    const t = c.get("t");
    const snap = await memberSnapshot(c.get("deps").db);
    const { f, filter } = analyticsFilter(c);
    const filtered = f.days !== 30 || Boolean(filter.city || filter.rank);
    const [a, cities, lowStock, requested] = await Promise.all([
      analyticsSnapshot(c.get("deps").db, new Date(), filter),
      orderCities(c.get("deps").db),
      c.get("deps").db.query<{ id: string; name: string; sellable: number; low_stock_threshold: number }>(
        `SELECT id, name, stock - reserved AS sellable, low_stock_threshold FROM products
          WHERE on_sale AND stock - reserved <= low_stock_threshold ORDER BY stock - reserved, id LIMIT 20`,
      ),
      withdrawalsForReview(c.get("deps").db, { onlyRequested: true, limit: 200 }),
    ]);
    const unusualWithdrawals = requested.filter((w) => w.unusual.length > 0).slice(0, 20);
    const exportQuery = new URLSearchParams(
      Object.entries({ days: String(f.days), city: f.city ?? "", rank: f.rank ?? "" }).filter(([, v]) => v),
    ).toString();
    const labelKeys = [
      "title",
      "gmv",
      "orders",
      "yesterday",
      "aov",
      "conversion",
      "visitors",
      "commissionShare",
      "repurchase",
      "ltv",
      "slow",
      "newMembers",
      "newDistributors",
      "ordersPerMinute",
      "topProducts",
      "product",
      "units",
      "sales",
      "distributor",
      "commission",
      "none",
      "byTier",
      "topDistributors",
      "tier1",
      "tier2",
      "tier3",
    ];
    return renderPage(
      c,
      <section class="stack">
        <h1>{t("admin.title")}</h1>
        <AdminNav path={c.req.path} t={t} user={c.get("user")} />
        <div class="grid kpis">
          <div class="card stat">
            <span class="stat-label">{t("admin.products")}</span>
            <strong class="stat-value">{snap.products}</strong>
          </div>
        </div>
        <form method="get" action="/admin" class="filters card">
          <label>
            {t("an.range")}
            <select name="days">
              {[1, 7, 30, 90].map((d) => (
                <option key={d} value={String(d)} selected={f.days === d}>{t("an.days", { n: d })}</option>
              ))}
            </select>
          </label>
          <label>
            {t("an.region")}
            <select name="city">
              <option value="">—</option>
              {cities.map((city) => <option key={city} value={city} selected={f.city === city}>{city}</option>)}
            </select>
          </label>
          <label>
            {t("dash.rank")}
            <select name="rank">
              <option value="">—</option>
              {RANKS.map((r) => (
                <option key={r} value={r} selected={f.rank === r}>{t(`rank.${r}` as MessageKey)}</option>
              ))}
            </select>
          </label>
          <button class="btn btn-ghost btn-sm" type="submit">{t("filter.apply")}</button>
          <a class="btn btn-ghost btn-sm" href={`/admin/analytics.pdf${exportQuery ? `?${exportQuery}` : ""}`}>PDF</a>
        </form>
        <Island
          of={AdminAnalytics}
          props={{
            ...liveAnalytics(a),
            exportQuery,
            filtered,
            labels: Object.fromEntries(labelKeys.map((k) => [k, t(`an.${k}` as MessageKey)])),
            statusLabels: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
          }}
        />
        {can(staffRoleOf(s.user), "withdrawals.read") && (
          <Island
            of={WithdrawalAlerts}
            props={{
              alerts: unusualWithdrawals.map((w) => ({
                withdrawalId: String(w.id),
                name: w.name,
                amount: w.amount,
                reasons: w.unusual,
              })),
              lastEventId: a.lastEventId,
              labels: {
                title: t("ops.unusualTitle"),
                none: t("ops.unusualNone"),
                review: t("ops.withdrawals"),
                reasons: { large: t("ops.unusual.large"), frequent: t("ops.unusual.frequent") },
              },
            }}
          />
        )}
        <Island
          of={StockAlerts}
          props={{
            alerts: lowStock.map((p) => ({
              productId: String(p.id),
              name: p.name,
              stock: p.sellable,
              threshold: p.low_stock_threshold,
            })),
            lastEventId: a.lastEventId,
            labels: { title: t("cat.alerts"), none: t("cat.noAlerts"), left: t("alerts.stockLeft") },
          }}
        />
        <Island
          of={MembersLive}
          props={{
            today: snap.today,
            total: snap.total,
            newest: snap.newest,
            lastEventId: snap.lastEventId,
            labels: {
              today: t("admin.membersToday"),
              total: t("admin.membersTotal"),
              newest: t("admin.newestMembers"),
              empty: t("admin.noMembers"),
              upline: t("admin.upline"),
              status: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
            },
          }}
        />
      </section>,
      { title: t("admin.title") },
    );
  })
  .get("/admin/plan", async (c) => {
    const s = staffPage(c, "plan.read");
    if ("redirect" in s) return s.redirect;
    const t = c.get("t");
    const db = c.get("deps").db;
    await ensurePlan(db);
    const plan = await currentPlan(db);
    const labels = Object.fromEntries(PLAN_LABELS.map((k) => [k, t(`plan.${k}` as MessageKey)])) as Record<
      PlanLabel,
      string
    >;
    return renderPage(
      c,
      <section class="stack">
        <AdminNav path={c.req.path} t={t} user={c.get("user")} />
        <h1>{t("plan.title")}</h1>
        <Island
          of={PlanEditor}
          props={{
            plan,
            canPublish: can(staffRoleOf(s.user), "plan.write"),
            labels,
            rankNames: Object.fromEntries(RANKS.map((r) => [r, t(`rank.${r}`)])),
            returnWindowDays: appConfig.shop.returnWindowDays,
          }}
        />
      </section>,
      { title: t("plan.title") },
    );
  })
  // The island re-syncs from here when the shop's day turns and every few minutes ("same time
  // yesterday" moves on); between syncs it follows the event stream.
  .get("/admin/analytics.json", async (c) => {
    const s = staffPage(c, "analytics.read");
    if ("redirect" in s) return s.redirect;
    const { filter } = analyticsFilter(c);
    return c.json(liveAnalytics(await analyticsSnapshot(c.get("deps").db, new Date(), filter)));
  })
  .get("/admin/analytics.pdf", async (c) => {
    const s = staffPage(c, "analytics.read");
    if ("redirect" in s) return s.redirect;
    const t = c.get("t");
    const db = c.get("deps").db;
    const { f, filter } = analyticsFilter(c);
    const a = await analyticsSnapshot(db, new Date(), filter);
    await appendAudit(db, {
      actorId: String(s.user.id),
      action: "data.export",
      target: "analytics:pdf",
      ip: clientIp(c),
      after: { format: "pdf", filter: f },
    });
    const pct = (r: string) => `${(Number(r) * 100).toFixed(1)}%`;
    const pdf = await tablesPdf(
      `${t("app.name")} · ${t("an.title")}`,
      new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
      [
        {
          heading: t("an.title"),
          rows: [
            [t("an.gmv"), `¥${a.gmv}`],
            [t("an.orders"), String(a.orders)],
            [
              t("an.yesterday"),
              `¥${a.gmvYesterday} / ${a.ordersYesterday} / ¥${a.yesterday.averageOrder} / ${
                pct(a.yesterday.conversion)
              }`,
            ],
            [t("an.aov"), `¥${a.averageOrder}`],
            [t("an.conversion"), pct(a.conversion)],
            [t("an.commissionShare"), pct(a.commissionShare)],
            [t("an.repurchase"), pct(a.repurchaseRate)],
            [t("an.ltv"), `¥${a.lifetimeValue}`],
            [t("an.slow"), pct(a.slowShare)],
            [t("an.visitors"), String(a.visitors)],
            [t("an.newMembers"), String(a.newMembers)],
            [t("an.newDistributors"), String(a.newDistributors)],
          ],
        },
        ...([
          ["top-products", "an.topProducts"],
          ["commission-by-tier", "an.byTier"],
          ["top-distributors", "an.topDistributors"],
        ] as const).map(([table, heading]) => ({
          heading: t(heading),
          rows: analyticsTable(a, table, t).map((row) => table === "top-products" ? row.slice(1) : row),
        })),
      ],
    );
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": 'attachment; filename="analytics.pdf"',
    });
  })
  .get("/admin/analytics/:file{[a-z-]+\\.(?:csv|xlsx)}", analyticsExport);
