import type { Translator } from "../i18n/messages.ts";
import { FormAlert, PostForm } from "./Form.tsx";
import { shopDay } from "../domain/shop_time.ts";

/**
 * Staff with `members.erase`: erase a member's personal data (name, contact, addresses, ID number),
 * keeping their orders, ledger and statements. Shows when it was done once it is.
 */
export function EraseMemberCard(
  { t, memberId, csrf, erasedAt, message }: {
    t: Translator;
    memberId: string;
    csrf: string;
    erasedAt: string | null;
    message?: string;
  },
) {
  return (
    <section class="card stack" aria-labelledby="erase-title" data-testid="erase-member">
      <h2 id="erase-title">{t("erase.title")}</h2>
      {erasedAt ? <p data-testid="erased-at">{t("erase.done", { at: shopDay(erasedAt) })}</p> : (
        <>
          <p class="muted">{t("erase.explain")}</p>
          <FormAlert message={message} />
          <PostForm action={`/admin/users/${memberId}/erase`} csrf={csrf} class="inline-form">
            <label>
              <input type="checkbox" name="confirm" value="yes" required /> {t("erase.confirm")}
            </label>
            <button class="btn btn-danger btn-sm" type="submit">{t("erase.button")}</button>
          </PostForm>
        </>
      )}
    </section>
  );
}
