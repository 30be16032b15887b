import type { Translator } from "../i18n/messages.ts";
import { Island } from "../lib/island.tsx";
import { randomToken } from "../lib/tokens.ts";
import type { commissionsOf, earningTotals, WithdrawalRow } from "../services/earnings.ts";
import type { statementsOf } from "../services/settlement.ts";
import WithdrawalHistory from "../islands/WithdrawalHistory.tsx";
import { FormAlert, PostForm } from "./Form.tsx";
import { shopDateTime, shopDay } from "../domain/shop_time.ts";
import { TableScroll } from "./TableScroll.tsx";

/** What the earnings page shows. */
export interface EarningsProps {
  t: Translator;
  csrf: string;
  totals: Awaited<ReturnType<typeof earningTotals>>;
  lines: Awaited<ReturnType<typeof commissionsOf>>;
  withdrawals: WithdrawalRow[];
  statements: Awaited<ReturnType<typeof statementsOf>>;
  lastEventId: number;
  /** Field errors, in the visitor's language. */
  errors: Record<string, string>;
  /** A withdrawal's fee, tax and net before confirming. */
  preview: { fee: string; tax: string; net: string; amount: string } | null;
  options: { amount?: string; filter?: { status?: "pending" | "available" | "clawed_back"; month?: string } };
}

/** A statement's period as its first and last business day ("2026-11-01 – 2026-11-30"; the end is exclusive). */
export function statementDays(startsAt: Date | string, endsAt: Date | string): string {
  return `${shopDay(startsAt)} – ${shopDay(new Date(endsAt).getTime() - 1)}`;
}

/** Earnings: totals, the withdrawal form with its preview, commission lines, withdrawals and statements. */
export function EarningsPage(
  { t, csrf, totals, lines, withdrawals, statements, lastEventId, errors, preview, options }: EarningsProps,
) {
  return (
    <section class="stack">
      <h1>{t("earn.title")}</h1>
      <div class="stats card">
        {(["pending", "available", "withdrawing", "paid"] as const).map((k) => (
          <div class="stat" key={k}>
            <span class="stat-label">{t(`dash.${k}`)}</span>
            <strong class="stat-value" data-testid={`earn-${k}`}>¥{totals[k]}</strong>
          </div>
        ))}
      </div>
      <section class="card" aria-labelledby="withdraw-title">
        <h2 id="withdraw-title">{t("earn.withdraw")}</h2>
        <FormAlert message={Object.values(errors)[0]} />
        {preview
          ? (
            <PostForm action="/distributor/earnings/withdraw" csrf={csrf}>
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
          <TableScroll label={t("earn.lines")}>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("earn.date")}</th>
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
                    <td>
                      <time dateTime={l.createdAt}>{shopDateTime(l.createdAt)}</time>
                    </td>
                    <td>#{l.orderId}</td>
                    <td>{l.tier}</td>
                    <td>{(Number(l.rate) * 100).toFixed(2)}%</td>
                    <td>¥{l.base}</td>
                    <td>¥{l.amount}</td>
                    <td>{t(`earn.status.${l.status}`)}</td>
                    <td>v{l.planVersion}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
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
                <span data-testid="statement-period">{statementDays(s.starts_at, s.ends_at)}</span> · ¥{s.closing}{" "}
                <a href={`/api/me/statements/${s.id}.csv`}>{t("earn.download")}</a>{" "}
                <a href={`/api/me/statements/${s.id}.pdf`}>PDF</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
