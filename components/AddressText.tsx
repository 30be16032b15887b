import type { Translator } from "../i18n/messages.ts";

/** The address fields a form holds, as typed. */
export interface AddressValues {
  name: string;
  phone: string;
  line1: string;
  city: string;
  postcode: string;
}

/** One address as a card's lines: who (name, phone) and where (city, street, postcode); no server imports (islands use it). */
export function AddressText({ a, t, isDefault }: { a: AddressValues; t?: Translator; isDefault?: boolean }) {
  return (
    <span class="address-text">
      <span class="address-who">
        <strong>{a.name}</strong>
        <span class="address-phone">{a.phone}</span>
        {isDefault && t && <span class="badge">{t("addr.default")}</span>}
      </span>
      <span class="address-where">
        {a.city} {a.line1}
        {a.postcode ? ` · ${a.postcode}` : ""}
      </span>
    </span>
  );
}
