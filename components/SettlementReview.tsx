import type { z } from "zod";
import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import {
  type periodReview,
  type periodReviewQuery,
  STATEMENT_FIGURES,
  type StatementRow,
} from "../services/settlement.ts";
import { checkStatement } from "../domain/ledger/statement_check.ts";
import { shortTime } from "../domain/shop_time.ts";
import { Pager } from "./Pager.tsx";
import { EmptyState } from "./DataTable.tsx";
import { TableScroll } from "./TableScroll.tsx";

const FIGURES = STATEMENT_FIGURES;

/** "Reconciles" or what a statement is off by, as a status pill. */
function CheckPill({ check, t }: { check: ReturnType<typeof checkStatement>; t: Translator }) {
  const off = [check.balance, check.lines, check.kinds].find((v) => v !== "0.00") ?? "0.00";
  return check.ok
    ? <span class="status status-completed">{t("stmt.ok")}</span>
    : <span class="status status-cancelled">{t("stmt.off", { amount: off })}</span>;
}

/** A closed period's statements for the finance reviewer, each re-added. */
export function PeriodReview(
  { t, q, r, allOk }: {
    t: Translator;
    user: UserRow | undefined;
    q: z.infer<typeof periodReviewQuery>;
    r: Awaited<ReturnType<typeof periodReview>>;
    allOk: boolean;
  },
) {
  return (
    <section class="stack">
      <a href="/admin/settlements" class="back-link">← {t("ops.settlements")}</a>
      <header class="card-head">
        <h1>{t("stmt.review")} · {t("stmt.period", { id: r.period.id })}</h1>
        <a class="btn btn-ghost btn-sm" href={`/admin/settlements/${r.period.id}/statements.csv`}>
          {t("stmt.exportAll")}
        </a>
      </header>
      <p class="muted">
        {shortTime(r.period.startsAt)} – {shortTime(r.period.endsAt)} · {t("stmt.closedAt")}{" "}
        {shortTime(r.period.closedAt)} · {t("stmt.closedBy")} {r.period.closedBy ?? t("stmt.system")}
      </p>
      <div class="grid kpis" data-testid="period-totals">
        {FIGURES.map((k) => (
          <div class="card stat" key={k}>
            <span class="stat-label">{t(`stmt.${k}`)}</span>
            <strong class="stat-value">¥{r.totals[k]}</strong>
          </div>
        ))}
        <div class="card stat">
          <span class="stat-label">{t("earn.statements")}</span>
          <strong class="stat-value">{r.totals.statements}</strong>
        </div>
      </div>
      {r.totals.negative > 0 && <p class="alert">{t("stmt.negative", { n: r.totals.negative })}</p>}
      <form method="get" class="filters card" role="search">
        <label>
          {t("stmt.search")}
          <input type="search" name="q" value={q.q} maxLength={60} />
        </label>
        <label>
          {t("stmt.sort")}
          <select name="sort">
            {(["closing", "credits", "reversals", "withdrawals", "member"] as const).map((k) => (
              <option key={k} value={k} selected={q.sort === k}>
                {t(k === "member" ? "stmt.member" : `stmt.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">{t("filter.apply")}</button>
      </form>
      {r.statements.length === 0 ? <EmptyState text={t("stmt.none")} icon="landmark" /> : (
        <div class="card">
          {allOk && <p class="muted" role="status">✓ {t("stmt.allOk")}</p>}
          <TableScroll label={t("earn.statements")}>
            <table class="table" data-testid="statements">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t("stmt.member")}</th>
                  {FIGURES.map((k) => <th scope="col" key={k}>{t(`stmt.${k}`)}</th>)}
                  <th scope="col">{t("stmt.check")}</th>
                </tr>
              </thead>
              <tbody>
                {r.statements.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <a href={`/admin/statements/${s.id}`}>#{s.id}</a>
                    </td>
                    <td>
                      <a href={`/admin/distributors/${s.userId}`}>{s.member}</a>
                    </td>
                    {FIGURES.map((k) => <td key={k} class={k === "closing" ? "num strong" : "num"}>¥{s[k]}</td>)}
                    <td>
                      <CheckPill check={s.check} t={t} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Pager
            page={q.page}
            pageSize={r.pageSize}
            total={r.total}
            baseQuery={{ q: q.q, sort: q.sort }}
            t={t}
          />
        </div>
      )}
    </section>
  );
}

/** One statement with its lines, re-added, with its CSV and PDF. */
export function StatementDetail(
  { t, s, member, check }: {
    t: Translator;
    user: UserRow | undefined;
    s: StatementRow;
    member: string;
    check: ReturnType<typeof checkStatement>;
  },
) {
  return (
    <section class="stack">
      <a href={`/admin/settlements/${s.period_id}`} class="back-link">← {t("stmt.back")}</a>
      <header class="card-head">
        <h1>{t("stmt.title", { id: String(s.id) })} · {member}</h1>
        <span class="actions">
          <a class="btn btn-ghost btn-sm" href={`/admin/statements/${s.id}.csv`}>CSV</a>
          <a class="btn btn-ghost btn-sm" href={`/admin/statements/${s.id}.pdf`}>PDF</a>
        </span>
      </header>
      <p class="muted">
        {shortTime(new Date(s.starts_at).toISOString())} – {shortTime(new Date(s.ends_at).toISOString())} ·{" "}
        {t("stmt.check")} <CheckPill check={check} t={t} />
      </p>
      <div class="grid kpis">
        {FIGURES.map((k) => (
          <div class="card stat" key={k}>
            <span class="stat-label">{t(`stmt.${k}`)}</span>
            <strong class="stat-value" data-testid={`stmt-${k}`}>¥{s[k]}</strong>
          </div>
        ))}
      </div>
      <div class="card">
        <h2>{t("stmt.lines")}</h2>
        {s.lines.length === 0 ? <p class="muted">—</p> : (
          <TableScroll label={t("stmt.lines")}>
            <table class="table" data-testid="statement-lines">
              <thead>
                <tr>
                  <th scope="col">{t("stmt.at")}</th>
                  <th scope="col">{t("stmt.kind")}</th>
                  <th scope="col">{t("stmt.ref")}</th>
                  <th scope="col">{t("earn.amount")}</th>
                  <th scope="col">{t("stmt.tax")}</th>
                </tr>
              </thead>
              <tbody>
                {s.lines.map((l, i) => (
                  <tr key={i}>
                    <td>{shortTime(l.at)}</td>
                    <td>{t(`stmt.kind.${l.kind}`)}</td>
                    <td>
                      <code>{l.ref}</code>
                    </td>
                    <td class="num">¥{l.amount}</td>
                    <td class="num">{l.tax ? `¥${l.tax}` : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </div>
    </section>
  );
}
