import type { Translator } from "../i18n/messages.ts";
import type { AddressEntry } from "../services/address_book.ts";
import { AddressFields, AddressText, type AddressValues } from "./AddressPicker.tsx";
import { FormAlert, PostForm } from "./Form.tsx";
import { EmptyState } from "./DataTable.tsx";
import { Icon } from "./Icon.tsx";

/** The outcome of the last change, shown above the list. */
export type AddressNotice = "saved" | "deleted" | "default";

/**
 * 我的收货地址: each address as a card (the default first, marked), with 设为默认, 编辑 and 删除 (asked again
 * before it happens), and 新增收货地址 at the bottom (in a bar on a phone) until the book is full.
 */
export function AddressBook(
  { t, csrf, addresses, max, notice }: {
    t: Translator;
    csrf: string;
    addresses: AddressEntry[];
    max: number;
    notice?: AddressNotice;
  },
) {
  const full = addresses.length >= max;
  return (
    <section class="stack order-column address-book">
      <a class="back-link" href="/account">
        <Icon name="chevronLeft" size={16} />
        {t("hub.back")}
      </a>
      <h1>{t("addr.title")}</h1>
      {notice && <p class="alert alert-ok" role="status" data-testid="notice">{t(`addr.notice.${notice}`)}</p>}
      {addresses.length === 0
        ? (
          <EmptyState icon="mapPin" text={t("addr.empty")} hint={t("addr.emptyHint")}>
            <a class="btn btn-primary" href="/account/addresses/new">{t("addr.add")}</a>
          </EmptyState>
        )
        : (
          <ul class="address-list">
            {addresses.map((a) => (
              <li key={a.id} class="card address-card" data-testid="address-card" data-id={a.id}>
                <AddressText a={{ ...a, postcode: a.postcode ?? "" }} t={t} isDefault={a.isDefault} />
                <div class="address-actions">
                  {a.isDefault
                    ? <span class="muted address-default-note">{t("addr.isDefault")}</span>
                    : (
                      <PostForm action={`/account/addresses/${a.id}/default`} csrf={csrf} class="inline-form">
                        <button class="link-btn" type="submit" aria-label={t("addr.makeDefaultOf", { name: a.name })}>
                          <Icon name="check" size={16} />
                          {t("addr.makeDefault")}
                        </button>
                      </PostForm>
                    )}
                  <span class="address-tools">
                    <a
                      class="link-btn"
                      href={`/account/addresses/${a.id}`}
                      aria-label={t("addr.editOf", { name: a.name })}
                    >
                      <Icon name="edit" size={16} />
                      {t("addr.edit")}
                    </a>
                    <details class="confirm-delete">
                      <summary class="link-btn" aria-label={t("addr.deleteOf", { name: a.name })}>
                        <Icon name="trash" size={16} />
                        {t("addr.delete")}
                      </summary>
                      <PostForm action={`/account/addresses/${a.id}/delete`} csrf={csrf} class="confirm-delete-box">
                        <span>{t("addr.deleteAsk")}</span>
                        <button class="btn btn-danger btn-sm" type="submit" data-testid="confirm-delete">
                          {t("addr.deleteYes")}
                        </button>
                      </PostForm>
                    </details>
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      {addresses.length > 0 && (
        <div class="sticky-action">
          {full
            ? <p class="muted center">{t("addr.full", { max })}</p>
            : (
              <a class="btn btn-primary btn-block" href="/account/addresses/new" data-testid="add-address">
                <Icon name="plus" size={18} />
                {t("addr.add")}
              </a>
            )}
        </div>
      )}
    </section>
  );
}

/** The form of a new address or of one being edited, with each field's message next to it. */
export function AddressForm(
  { t, csrf, action, values, isDefault, wasDefault, errors, message }: {
    t: Translator;
    csrf: string;
    /** Where it posts: `/account/addresses/new` or `/account/addresses/:id`. */
    action: string;
    values: AddressValues;
    isDefault: boolean;
    /** Editing the default address (it stays the default until another is chosen). */
    wasDefault?: boolean;
    errors: Record<string, string>;
    message?: string;
  },
) {
  const editing = action !== "/account/addresses/new";
  return (
    <section class="stack order-column address-edit">
      <a class="back-link" href="/account/addresses">
        <Icon name="chevronLeft" size={16} />
        {t("addr.back")}
      </a>
      <h1>{editing ? t("addr.editTitle") : t("addr.newTitle")}</h1>
      <FormAlert message={message ?? (Object.keys(errors).length ? t("auth.error") : undefined)} />
      <PostForm action={action} csrf={csrf} class="form card address-form">
        <AddressFields t={t} values={values} errors={errors} />
        {wasDefault ? <p class="field-hint">{t("addr.isDefault")}</p> : (
          <label class="check">
            <input type="checkbox" name="isDefault" checked={isDefault} />
            {t("addr.setDefault")}
          </label>
        )}
        <button class="btn btn-primary btn-block" type="submit" data-testid="save-address">{t("addr.save")}</button>
      </PostForm>
    </section>
  );
}
