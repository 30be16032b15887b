import type { MessageKey, Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { withdrawalsForReview } from "../services/earnings.ts";
import { FormAlert, PostForm } from "./Form.tsx";
import { EmptyRow } from "./DataTable.tsx";

/** The payout queue with approve (password when not re-authenticated lately) and reject forms. */
export function WithdrawalReview(
  { t, csrf, message, fresh, rows, all }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: string;
    /** Whether the manager entered their password in the last minutes. */
    fresh: boolean;
    rows: Awaited<ReturnType<typeof withdrawalsForReview>>;
    /** Every recent request (true) or only those waiting for review. */
    all: boolean;
  },
) {
  return (
    <section class="stack">
      <h1>{t("ops.withdrawals")}</h1>
      <FormAlert message={message} />
      {!fresh && <p class="alert">{t("ops.reauthHint")}</p>}
      <nav class="chips" aria-label={t("look.filterStatus")}>
        <a class={all ? "chip active" : "chip"} href="/admin/withdrawals" aria-current={all ? "page" : undefined}>
          {t("look.allRecent")}
        </a>
        <a
          class={all ? "chip" : "chip active"}
          href="/admin/withdrawals?status=requested"
          aria-current={all ? undefined : "page"}
        >
          {t("look.waiting")}
        </a>
      </nav>
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("auth.name")}</th>
              <th scope="col">{t("earn.amount")}</th>
              <th scope="col">{t("earn.tax")}</th>
              <th scope="col">{t("earn.net")}</th>
              <th scope="col">{t("earn.status")}</th>
              <th scope="col">{t("ops.action")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <EmptyRow
                columns={7}
                text={all ? t("look.noWithdrawals") : t("look.noWaitingWithdrawals")}
                hint={t("look.noWithdrawalsHint")}
                icon="wallet"
              />
            )}
            {rows.map((w) => (
              <tr key={w.id}>
                <td>{w.id}</td>
                <td>{w.name}</td>
                <td>
                  ¥{w.amount}
                  {w.unusual.map((r) => (
                    <span key={r} class="badge badge-warn">{t(`ops.unusual.${r}` as MessageKey)}</span>
                  ))}
                </td>
                <td>¥{w.tax}</td>
                <td>¥{w.net}</td>
                <td>{t(`earn.w.${w.status}` as MessageKey)}</td>
                <td>
                  {w.status === "requested" && (
                    <>
                      <PostForm action={`/admin/withdrawals/${w.id}/approve`} csrf={csrf} class="inline-form">
                        {!fresh && (
                          <input
                            type="password"
                            name="password"
                            aria-label={t("auth.password")}
                            placeholder={t("auth.password")}
                            required
                          />
                        )}
                        <button class="btn btn-primary btn-sm" type="submit">{t("ops.approve")}</button>
                      </PostForm>
                      <PostForm action={`/admin/withdrawals/${w.id}/reject`} csrf={csrf} class="inline-form">
                        <input
                          name="reason"
                          aria-label={t("ops.reason")}
                          placeholder={t("ops.reason")}
                          required
                          maxLength={200}
                          size={8}
                        />
                        <button class="btn btn-ghost btn-sm" type="submit">{t("ops.reject")}</button>
                      </PostForm>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
