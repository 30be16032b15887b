import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { withdrawalsForReview } from "../services/earnings.ts";
import { FormAlert, PostForm } from "./Form.tsx";
import { AdminNav } from "./AdminNav.tsx";

/** The payout queue with approve (password when not re-authenticated lately) and reject forms. */
export function WithdrawalReview(
  { t, path, user, csrf, message, fresh, rows }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: string;
    /** Whether the manager entered their password in the last minutes. */
    fresh: boolean;
    rows: Awaited<ReturnType<typeof withdrawalsForReview>>;
  },
) {
  return (
    <section class="stack">
      <AdminNav path={path} t={t} user={user} />
      <h1>{t("ops.withdrawals")}</h1>
      <FormAlert message={message} />
      {!fresh && <p class="alert">{t("ops.reauthHint")}</p>}
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
            {rows.map((w) => (
              <tr key={w.id}>
                <td>{w.id}</td>
                <td>{w.name}</td>
                <td>
                  ¥{w.amount}
                  {w.unusual.map((r) => <span key={r} class="badge badge-warn">{t(`ops.unusual.${r}`)}</span>)}
                </td>
                <td>¥{w.tax}</td>
                <td>¥{w.net}</td>
                <td>{t(`earn.w.${w.status}`)}</td>
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
