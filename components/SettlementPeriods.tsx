import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { settlementPeriods } from "../services/settlement.ts";
import { shortTime, toShopLocalInput } from "../domain/shop_time.ts";
import { FormAlert, PostForm } from "./Form.tsx";
import { EmptyRow } from "./DataTable.tsx";

/** Settlement periods: the close form (the next period continues the last one) and the closed periods. */
export function SettlementPeriods(
  { t, csrf, message, periods, start, end }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: string;
    periods: Awaited<ReturnType<typeof settlementPeriods>>;
    /** Where the next period starts (the last one's end), or null before the first. */
    start: string | null;
    /** The suggested end: the last whole minute. */
    end: string;
  },
) {
  return (
    <section class="stack">
      <h1>{t("ops.settlements")}</h1>
      <FormAlert message={message} />
      <PostForm action="/admin/settlements" csrf={csrf} class="card filters">
        {start
          ? (
            <p class="muted">
              {t("ops.periodStart")} {shortTime(start)}
              <input type="hidden" name="startsAt" value={start} />
            </p>
          )
          : (
            <label>
              {t("ops.periodStart")}
              <input type="datetime-local" name="startsAt" value="2026-01-01T00:00" required />
            </label>
          )}
        <label>
          {t("ops.periodEnd")}
          <input type="datetime-local" name="endsAt" value={toShopLocalInput(end)} required />
        </label>
        <span class="muted">{t("ops.shopTime")}</span>
        <button class="btn btn-primary btn-sm" type="submit">{t("ops.close")}</button>
      </PostForm>
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("ops.periodStart")}</th>
              <th scope="col">{t("ops.periodEnd")}</th>
              <th scope="col" class="num">{t("earn.statements")}</th>
              <th scope="col" class="num">{t("ops.owed")}</th>
            </tr>
          </thead>
          <tbody>
            {periods.length === 0 && (
              <EmptyRow columns={5} text={t("look.noPeriods")} hint={t("look.noPeriodsHint")} icon="landmark" />
            )}
            {periods.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/admin/settlements/${p.id}`} aria-label={`${t("stmt.review")} #${p.id}`}>
                    {t("stmt.period", { id: p.id })}
                  </a>
                </td>
                <td>{new Date(p.starts_at).toISOString().slice(0, 16).replace("T", " ")}</td>
                <td>{new Date(p.ends_at).toISOString().slice(0, 16).replace("T", " ")}</td>
                <td class="num">{p.statements}</td>
                <td class="num">¥{p.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
