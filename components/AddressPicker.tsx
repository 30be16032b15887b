import type { Translator } from "../i18n/messages.ts";
import type { AddressEntry } from "../services/address_book.ts";
import { Field } from "./Form.tsx";
import { Icon } from "./Icon.tsx";

/** The address fields a form holds, as typed, and one address as text (island-safe, in its own module). */
export { AddressText, type AddressValues } from "./AddressText.tsx";
import { AddressText, type AddressValues } from "./AddressText.tsx";

/** The address fields (recipient, phone, street, city, postcode) with their errors (`address.<field>`). */
export function AddressFields(
  { t, values, errors, required = true }: {
    t: Translator;
    values: AddressValues;
    errors: Record<string, string>;
    required?: boolean;
  },
) {
  return (
    <div class="address-fields">
      <Field
        label={t("checkout.name")}
        name="name"
        value={values.name}
        error={errors["address.name"] ?? errors.name}
        autocomplete="name"
        required={required}
        maxLength={40}
      />
      <Field
        label={t("checkout.phone")}
        name="phone"
        type="tel"
        value={values.phone}
        error={errors["address.phone"] ?? errors.phone}
        autocomplete="tel"
        required={required}
        maxLength={20}
      />
      <Field
        label={t("checkout.city")}
        name="city"
        value={values.city}
        error={errors["address.city"] ?? errors.city}
        autocomplete="address-level2"
        required={required}
        maxLength={60}
      />
      <Field
        label={t("checkout.line1")}
        name="line1"
        value={values.line1}
        error={errors["address.line1"] ?? errors.line1}
        autocomplete="street-address"
        required={required}
        maxLength={200}
        class="field-wide"
      />
      <Field
        label={t("checkout.postcode")}
        name="postcode"
        value={values.postcode}
        error={errors["address.postcode"] ?? errors.postcode}
        autocomplete="postal-code"
        maxLength={12}
      />
    </div>
  );
}

/**
 * The checkout's address step: the member's address book as choices (the default first and chosen unless
 * another was), and "use a new address" with its fields inline (kept in the book when ticked). Without an
 * address book, the fields alone (the first address becomes the default).
 */
export function AddressPicker(
  { t, addresses, chosen, values, keep, errors }: {
    t: Translator;
    addresses: AddressEntry[];
    /** The chosen address id, or "new". */
    chosen: string;
    values: AddressValues;
    keep: boolean;
    errors: Record<string, string>;
  },
) {
  return (
    <fieldset class="card address-picker" data-testid="address-picker">
      <legend>{t("checkout.address")}</legend>
      <a class="fieldset-link" href="/account/addresses">
        {t("checkout.manageAddresses")}
        <Icon name="chevronRight" size={16} />
      </a>
      {addresses.length === 0
        ? (
          <>
            <input type="hidden" name="addressId" value="new" />
            <AddressFields t={t} values={values} errors={errors} />
            <p class="field-hint">{t("checkout.firstAddress")}</p>
          </>
        )
        : (
          <>
            <div class="address-options">
              {addresses.map((a) => (
                <label key={a.id} class="address-option" data-testid="address-option">
                  <input type="radio" name="addressId" value={a.id} checked={chosen === a.id} />
                  <Icon name="mapPin" size={20} class="address-pin" />
                  <AddressText a={{ ...a, postcode: a.postcode ?? "" }} t={t} isDefault={a.isDefault} />
                </label>
              ))}
              <label class="address-option address-option-new">
                <input type="radio" name="addressId" value="new" checked={chosen === "new"} data-testid="address-new" />
                <Icon name="plus" size={20} class="address-pin" />
                <span>{t("checkout.newAddress")}</span>
              </label>
            </div>
            <div class="address-new">
              <AddressFields t={t} values={values} errors={errors} required={false} />
              <label class="check">
                <input type="checkbox" name="keepAddress" checked={keep} />
                {t("checkout.keepAddress")}
              </label>
            </div>
          </>
        )}
    </fieldset>
  );
}
