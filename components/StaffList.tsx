import type { MessageKey, Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import { STAFF_ROLES, staffRoleOf } from "../domain/permissions.ts";
import type { staffMembers } from "../services/members.ts";
import { FormAlert, PostForm } from "./Form.tsx";

/** Managers and their staff roles, with the form that adds a manager. */
export function StaffList(
  { t, csrf, message, staff }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: string;
    staff: Awaited<ReturnType<typeof staffMembers>>;
  },
) {
  return (
    <section class="stack">
      <h1>{t("ops.staff")}</h1>
      <FormAlert message={message} />
      <PostForm action="/admin/staff" csrf={csrf} class="card filters">
        <label>
          {t("ops.addManager")}
          <input name="email" type="email" required maxLength={254} placeholder="name@example.com" />
        </label>
        <button class="btn btn-primary btn-sm" type="submit">{t("cat.create")}</button>
      </PostForm>
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("auth.name")}</th>
              <th scope="col">{t("auth.email")}</th>
              <th scope="col">{t("ops.staffRole")}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>
                  <PostForm action="/admin/staff" csrf={csrf} class="inline-form">
                    <input type="hidden" name="userId" value={String(m.id)} />
                    <select name="staffRole" aria-label={t("ops.staffRole")}>
                      {STAFF_ROLES.map((r) => (
                        <option key={r} value={r} selected={staffRoleOf(m) === r}>
                          {t(`staff.${r}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                    <button class="btn btn-ghost btn-sm" type="submit">{t("cart.update")}</button>
                  </PostForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
