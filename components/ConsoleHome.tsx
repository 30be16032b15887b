import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import { Island } from "../lib/island.tsx";
import { can, staffRoleOf } from "../domain/permissions.ts";
import { RANKS } from "../domain/commission/plan.ts";
import type { AnalyticsSnapshot } from "../services/analytics.ts";
import type { memberSnapshot } from "../services/dashboard.ts";
import type { withdrawalsForReview } from "../services/earnings.ts";
import type { lowStockSkus } from "../services/stock_admin.ts";
import { liveAnalytics } from "./analytics_tables.ts";
import MembersLive from "../islands/MembersLive.tsx";
import AdminAnalytics from "../islands/AdminAnalytics.tsx";
import StockAlerts from "../islands/StockAlerts.tsx";
import WithdrawalAlerts from "../islands/WithdrawalAlerts.tsx";

/** What the console home shows. */
export interface ConsoleHomeProps {
  t: Translator;
  path: string;
  user: UserRow | undefined;
  snap: Awaited<ReturnType<typeof memberSnapshot>>;
  f: { days: number; city?: string; rank?: string };
  cities: string[];
  a: AnalyticsSnapshot;
  exportQuery: string;
  filtered: boolean;
  unusualWithdrawals: Awaited<ReturnType<typeof withdrawalsForReview>>;
  lowStock: Awaited<ReturnType<typeof lowStockSkus>>;
}

/** The manager console home: live analytics with filters, withdrawal and stock alerts, live members. */
export function ConsoleHome(
  { t, user, snap, f, cities, a, exportQuery, filtered, unusualWithdrawals, lowStock }: ConsoleHomeProps,
) {
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
  ] as const;
  return (
    <section class="stack">
      <h1>{t("admin.title")}</h1>
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
          {t("an.rank")}
          <select name="rank">
            <option value="">—</option>
            {RANKS.map((r) => <option key={r} value={r} selected={f.rank === r}>{t(`rank.${r}`)}</option>)}
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
          labels: Object.fromEntries(labelKeys.map((k) => [k, t.raw(`an.${k}`)])),
          statusLabels: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
        }}
      />
      {can(staffRoleOf(user!), "withdrawals.read") && (
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
          alerts: lowStock.map((s) => ({
            productId: s.productId,
            skuId: s.id,
            name: s.label ? `${s.name} ${s.label}` : s.name,
            stock: s.sellable,
            threshold: s.threshold,
            daysLeft: s.daysLeft,
            suggestedReorder: s.suggestedReorder,
          })),
          lastEventId: a.lastEventId,
          labels: {
            title: t("cat.alerts"),
            none: t("cat.noAlerts"),
            left: t.raw("alerts.stockLeft"),
            days: t.raw("fc.daysShort"),
            reorder: t.raw("fc.reorderShort"),
          },
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
            upline: t.raw("admin.upline"),
            status: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
          },
        }}
      />
    </section>
  );
}
