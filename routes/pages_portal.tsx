import { Hono } from "hono";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { checkCsrf, readForm } from "../lib/http.ts";
import { Island } from "../lib/island.tsx";
import { portalMember, renderPortal } from "../lib/portal.tsx";
import { localizeErrors } from "../lib/render.tsx";
import { AppError } from "../lib/errors.ts";
import { randomToken } from "../lib/tokens.ts";
import type { MessageKey, Translator } from "../i18n/messages.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { RANKS } from "../domain/commission/plan.ts";
import { dashboardSnapshot } from "../services/portal.ts";
import {
  commissionsOf,
  earningTotals,
  previewWithdrawal,
  requestWithdrawal,
  type WithdrawalRow,
} from "../services/earnings.ts";
import { statementsOf } from "../services/settlement.ts";
import { lowStockAlerts, markAllRead, notificationsOf } from "../services/notifications.ts";
import DistributorDashboard from "../islands/DistributorDashboard.tsx";
import WithdrawalHistory from "../islands/WithdrawalHistory.tsx";
import { latestEventId } from "../db/events_repo.ts";
import { FormAlert, PostForm } from "../components/Form.tsx";

function dashboardLabels(t: Translator) {
  const keys = [
    "title",
    "commission",
    "today",
    "month",
    "pending",
    "available",
    "paid",
    "teamSales",
    "tier",
    "tier1",
    "tier2",
    "tier3",
    "members",
    "salesToday",
    "sales7d",
    "sales30d",
    "newMembers",
    "rank",
    "nextRank",
    "charts",
    "salesChart",
    "commissionChart",
    "topProducts",
    "feed",
    "feedEmpty",
    "feedSale",
    "feedCommission",
    "feedClawback",
  ];
  return Object.fromEntries(keys.map((k) => [k, t(`dash.${k}` as MessageKey)]));
}

async function earningsPage(
  c: Ctx,
  options: {
    amount?: string;
    errors?: Record<string, string>;
    status?: number;
    filter?: { status?: "pending" | "available" | "clawed_back"; month?: string };
  } = {},
) {
  const t = c.get("t");
  const user = c.get("user")!;
  const db = c.get("deps").db;
  const id = String(user.id);
  const lastEventId = await latestEventId(db);
  const [lines, totals, withdrawals, statements] = await Promise.all([
    commissionsOf(db, id, { page: 1, pageSize: 50, ...options.filter }),
    earningTotals(db, id),
    db.query<WithdrawalRow>("SELECT * FROM withdrawals WHERE user_id = $1 ORDER BY id DESC LIMIT 20", [id]),
    statementsOf(db, id),
  ]);
  const errors = localizeErrors(c, options.errors ?? {});
  let preview: { fee: string; tax: string; net: string; amount: string } | null = null;
  if (options.amount && !options.errors) {
    const q = (await previewWithdrawal(db, id, money(options.amount))).quote;
    preview = {
      amount: toMoneyString(q.amount),
      fee: toMoneyString(q.fee),
      tax: toMoneyString(q.tax),
      net: toMoneyString(q.net),
    };
  }
  return renderPortal(
    c,
    <section class="stack">
      <h1>{t("earn.title")}</h1>
      <div class="stats card">
        {(["pending", "available", "paid"] as const).map((k) => (
          <div class="stat" key={k}>
            <span class="stat-label">{t(`dash.${k}`)}</span>
            <strong class="stat-value">¥{totals[k]}</strong>
          </div>
        ))}
      </div>
      <section class="card" aria-labelledby="withdraw-title">
        <h2 id="withdraw-title">{t("earn.withdraw")}</h2>
        <FormAlert message={Object.values(errors)[0]} />
        {preview
          ? (
            <PostForm action="/distributor/earnings/withdraw" csrf={c.get("csrf")}>
              <input type="hidden" name="amount" value={preview.amount} />
              <input type="hidden" name="key" value={randomToken(16)} />
              <dl class="breakdown">
                <dt>{t("earn.amount")}</dt>
                <dd>¥{preview.amount}</dd>
                <dt>{t("earn.fee")}</dt>
                <dd class="minus">−¥{preview.fee}</dd>
                <dt>{t("earn.tax")}</dt>
                <dd class="minus">−¥{preview.tax}</dd>
                <dt class="total">{t("earn.net")}</dt>
                <dd class="total" data-testid="withdraw-net">¥{preview.net}</dd>
              </dl>
              <button class="btn btn-primary btn-block" type="submit">{t("earn.confirm")}</button>
            </PostForm>
          )
          : (
            <form method="get" action="/distributor/earnings" class="form">
              <div class={errors.amount ? "field has-error" : "field"}>
                <label for="w-amount">{t("earn.amountLabel", { available: totals.available })}</label>
                <input
                  id="w-amount"
                  name="amount"
                  type="number"
                  min="0"
                  step="0.01"
                  inputMode="decimal"
                  value={options.amount ?? ""}
                  required
                />
                {errors.amount && <p class="field-error">{errors.amount}</p>}
              </div>
              <button class="btn btn-ghost" type="submit">{t("earn.preview")}</button>
            </form>
          )}
      </section>
      <section class="card" aria-labelledby="lines-title">
        <h2 id="lines-title">{t("earn.lines")}</h2>
        <form method="get" action="/distributor/earnings" class="filters">
          <label>
            {t("earn.status")}
            <select name="status">
              <option value="">—</option>
              {(["pending", "available", "clawed_back"] as const).map((st) => (
                <option key={st} value={st} selected={options.filter?.status === st}>{t(`earn.status.${st}`)}</option>
              ))}
            </select>
          </label>
          <label>
            {t("earn.month")}
            <input type="month" name="month" value={options.filter?.month ?? ""} />
          </label>
          <button class="btn btn-ghost btn-sm" type="submit">{t("filter.apply")}</button>
        </form>
        {lines.items.length === 0 ? <p class="muted">{t("earn.none")}</p> : (
          <div class="table-scroll">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("earn.order")}</th>
                  <th scope="col">{t("dash.tier")}</th>
                  <th scope="col">{t("earn.rate")}</th>
                  <th scope="col">{t("earn.base")}</th>
                  <th scope="col">{t("earn.amount")}</th>
                  <th scope="col">{t("earn.status")}</th>
                  <th scope="col">{t("earn.plan")}</th>
                </tr>
              </thead>
              <tbody>
                {lines.items.map((l) => (
                  <tr key={l.id}>
                    <td>#{l.orderId}</td>
                    <td>{l.tier}</td>
                    <td>{(Number(l.rate) * 100).toFixed(2)}%</td>
                    <td>¥{l.base}</td>
                    <td>¥{l.amount}</td>
                    <td>{t(`earn.status.${l.status}` as MessageKey)}</td>
                    <td>v{l.planVersion}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="w-history">
        <h2 id="w-history">{t("earn.history")}</h2>
        <Island
          of={WithdrawalHistory}
          props={{
            items: withdrawals.map((w) => ({ id: String(w.id), amount: w.amount, net: w.net, status: w.status })),
            lastEventId,
            labels: { requested: t("earn.w.requested"), paid: t("earn.w.paid"), rejected: t("earn.w.rejected") },
          }}
        />
      </section>
      <section class="card" aria-labelledby="statements-title">
        <h2 id="statements-title">{t("earn.statements")}</h2>
        {statements.length === 0 ? <p class="muted">—</p> : (
          <ul class="plain-list">
            {statements.map((s) => (
              <li key={s.id}>
                {new Date(s.starts_at).toISOString().slice(0, 10)} – {new Date(s.ends_at).toISOString().slice(0, 10)}
                {" "}
                · ¥{s.closing} <a href={`/api/me/statements/${s.id}.csv`}>{t("earn.download")}</a>{" "}
                <a href={`/api/me/statements/${s.id}.pdf`}>PDF</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>,
    t("earn.title"),
    options.status,
  );
}

/** The distributor portal: live dashboard, earnings with withdrawals, alerts. */
export const pagesPortal = new Hono<AppEnv>()
  .get("/distributor", async (c) => {
    const m = portalMember(c);
    if ("redirect" in m) return m.redirect;
    const t = c.get("t");
    const snap = await dashboardSnapshot(c.get("deps").db, String(m.user.id));
    return renderPortal(
      c,
      <Island
        of={DistributorDashboard}
        props={{
          state: {
            rank: snap.rank,
            commission: snap.commission,
            tiers: snap.tiers,
            newMembersToday: snap.newMembersToday,
            days: snap.days,
            salesSeries: snap.salesSeries,
            commissionSeries: snap.commissionSeries,
            feed: snap.feed,
          },
          lastEventId: snap.lastEventId,
          nextRank: snap.nextRank,
          topProducts: snap.topProducts,
          labels: dashboardLabels(t),
          statusLabels: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
          rankLabels: Object.fromEntries(RANKS.map((r) => [r, t(`rank.${r}` as MessageKey)])),
        }}
      />,
      t("dash.title"),
    );
  })
  .get("/distributor/earnings", async (c) => {
    const m = portalMember(c);
    if ("redirect" in m) return m.redirect;
    const amount = c.req.query("amount") || undefined;
    const status = c.req.query("status");
    const month = c.req.query("month");
    const filter = {
      status: status === "pending" || status === "available" || status === "clawed_back" ? status : undefined,
      month: month && /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : undefined,
    } as const;
    if (amount !== undefined && !/^\d{1,12}(\.\d{1,2})?$/.test(amount)) {
      return await earningsPage(c, { errors: { amount: 'must be a decimal string like "100.00"' }, status: 400 });
    }
    return await earningsPage(c, { amount, filter });
  })
  .post("/distributor/earnings/withdraw", async (c) => {
    const m = portalMember(c);
    if ("redirect" in m) return m.redirect;
    const form = await readForm(c);
    checkCsrf(c, form);
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(form.amount ?? "") || !form.key) return c.redirect("/distributor/earnings", 303);
    try {
      await requestWithdrawal(c.get("deps").db, m.user, form.amount, `form:${form.key}`);
      return c.redirect("/distributor/earnings", 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        return await earningsPage(c, { errors: err.fields ?? { amount: err.message }, status: err.status });
      }
      throw err;
    }
  })
  .get("/distributor/alerts", async (c) => {
    const m = portalMember(c);
    if ("redirect" in m) return m.redirect;
    const t = c.get("t");
    const db = c.get("deps").db;
    const [notes, lowStock] = await Promise.all([
      notificationsOf(db, String(m.user.id), c.get("locale")),
      lowStockAlerts(db, String(m.user.id)),
    ]);
    return renderPortal(
      c,
      <section class="stack">
        <h1>{t("alerts.title")}</h1>
        {lowStock.length > 0 && (
          <section class="card" aria-labelledby="low-stock">
            <h2 id="low-stock">{t("alerts.lowStock")}</h2>
            <ul class="plain-list">
              {lowStock.map((p) => (
                <li key={p.id}>
                  <a href={`/products/${p.id}`}>{p.name}</a> ·{" "}
                  <span class="badge badge-warn">{t("alerts.stockLeft", { n: p.sellable })}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        <section class="card" aria-labelledby="notes">
          <header class="card-head">
            <h2 id="notes">{t("alerts.title")} ({notes.unread})</h2>
            {notes.unread > 0 && (
              <PostForm action="/distributor/alerts/read" csrf={c.get("csrf")} class="inline-form">
                <button class="btn btn-ghost btn-sm" type="submit">{t("alerts.markRead")}</button>
              </PostForm>
            )}
          </header>
          {notes.items.length === 0 ? <p class="muted">{t("alerts.none")}</p> : (
            <ul class="plain-list">
              {notes.items.map((n) => (
                <li key={n.id} class={n.readAt ? "muted" : ""}>
                  {n.priority === "important" && <span class="badge badge-warn">{t("alerts.important")}</span>}{" "}
                  <strong>{n.title}</strong> {n.body}
                </li>
              ))}
            </ul>
          )}
        </section>
      </section>,
      t("alerts.title"),
    );
  })
  .post("/distributor/alerts/read", async (c) => {
    const m = portalMember(c);
    if ("redirect" in m) return m.redirect;
    const form = await readForm(c);
    checkCsrf(c, form);
    await markAllRead(c.get("deps").db, String(m.user.id));
    return c.redirect("/distributor/alerts", 303);
  });
