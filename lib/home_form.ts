/**
 * The console's banner and featured-block forms as plain values: what a form shows (stored values or, after
 * a refused save, what the manager typed) and a posted form as the input of the service's schemas. Times
 * are typed in shop time (`datetime-local`), the link target in the control of its kind.
 */
import { fromShopLocalInput, toShopLocalInput } from "../domain/shop_time.ts";
import type { BannerView, BlockView } from "../services/home_arrangement.ts";

/** What the banner form shows. */
export interface BannerFormValues {
  title: string;
  titleEn: string;
  subtitle: string;
  subtitleEn: string;
  linkKind: string;
  linkProduct: string;
  linkCategory: string;
  linkPath: string;
  theme: string;
  icon: string;
  /** "art" (the generated art) or "upload" (an uploaded picture, the current one when no file is sent). */
  picture: string;
  startsAt: string;
  endsAt: string;
  enabled: boolean;
}

/** The values of a new banner's form. */
export const NEW_BANNER: BannerFormValues = {
  title: "",
  titleEn: "",
  subtitle: "",
  subtitleEn: "",
  linkKind: "category",
  linkProduct: "",
  linkCategory: "",
  linkPath: "",
  theme: "red",
  icon: "gift",
  picture: "art",
  startsAt: "",
  endsAt: "",
  enabled: true,
};

/** A stored banner as its form's values. */
export function bannerFormValues(b: BannerView): BannerFormValues {
  return {
    title: b.title,
    titleEn: b.titleEn,
    subtitle: b.subtitle,
    subtitleEn: b.subtitleEn,
    linkKind: b.linkKind,
    linkProduct: b.linkKind === "product" ? b.linkTarget : "",
    linkCategory: b.linkKind === "category" ? b.linkTarget : "",
    linkPath: b.linkKind === "path" ? b.linkTarget : "",
    theme: b.theme,
    icon: b.icon,
    picture: b.picture ? "upload" : "art",
    startsAt: toShopLocalInput(b.startsAt),
    endsAt: toShopLocalInput(b.endsAt),
    enabled: b.enabled,
  };
}

const field = (form: Record<string, unknown>, k: string) =>
  (typeof form[k] === "string" ? form[k] as string : "").trim();
const time = (value: string) => (value === "" ? null : fromShopLocalInput(value));

/** A posted banner form: the values to show again and the input for `bannerInputSchema`. */
export function readBannerForm(form: Record<string, unknown>): {
  values: BannerFormValues;
  input: Record<string, unknown>;
} {
  const values: BannerFormValues = {
    title: field(form, "title"),
    titleEn: field(form, "titleEn"),
    subtitle: field(form, "subtitle"),
    subtitleEn: field(form, "subtitleEn"),
    linkKind: field(form, "linkKind"),
    linkProduct: field(form, "linkProduct"),
    linkCategory: field(form, "linkCategory"),
    linkPath: field(form, "linkPath"),
    theme: field(form, "theme"),
    icon: field(form, "icon"),
    picture: field(form, "picture") === "upload" ? "upload" : "art",
    startsAt: field(form, "startsAt"),
    endsAt: field(form, "endsAt"),
    enabled: form.enabled === "on",
  };
  const target = values.linkKind === "product"
    ? values.linkProduct
    : values.linkKind === "category"
    ? values.linkCategory
    : values.linkPath;
  return {
    values,
    input: {
      title: values.title,
      titleEn: values.titleEn,
      subtitle: values.subtitle,
      subtitleEn: values.subtitleEn,
      linkKind: values.linkKind,
      linkTarget: target,
      // Not posted (a form without those choices): the schema's defaults.
      theme: values.theme || undefined,
      icon: values.icon || undefined,
      enabled: values.enabled,
      startsAt: time(values.startsAt),
      endsAt: time(values.endsAt),
    },
  };
}

/** The form field that shows an error of the schema's field (the link target sits in its kind's control). */
export function bannerErrorField(key: string, linkKind: string): string {
  if (key !== "linkTarget") return key;
  return linkKind === "product" ? "linkProduct" : linkKind === "category" ? "linkCategory" : "linkPath";
}

/** What the featured-block form shows. */
export interface BlockFormValues {
  title: string;
  titleEn: string;
  subtitle: string;
  subtitleEn: string;
  icon: string;
  source: string;
  productIds: string[];
  category: string;
  limit: string;
  startsAt: string;
  endsAt: string;
  enabled: boolean;
}

/** The values of a new block's form. */
export const NEW_BLOCK: BlockFormValues = {
  title: "",
  titleEn: "",
  subtitle: "",
  subtitleEn: "",
  icon: "sparkles",
  source: "chosen",
  productIds: [],
  category: "",
  limit: "8",
  startsAt: "",
  endsAt: "",
  enabled: true,
};

/** A stored block as its form's values. */
export function blockFormValues(b: BlockView): BlockFormValues {
  return {
    title: b.title,
    titleEn: b.titleEn,
    subtitle: b.subtitle,
    subtitleEn: b.subtitleEn,
    icon: b.icon,
    source: b.source,
    productIds: b.productIds,
    category: b.category ?? "",
    limit: String(b.limit),
    startsAt: toShopLocalInput(b.startsAt),
    endsAt: toShopLocalInput(b.endsAt),
    enabled: b.enabled,
  };
}

/** A posted block form (its fields, and the ticked products in posted order) as values and schema input. */
export function readBlockForm(form: Record<string, string>, productIds: string[]): {
  values: BlockFormValues;
  input: Record<string, unknown>;
} {
  const values: BlockFormValues = {
    title: field(form, "title"),
    titleEn: field(form, "titleEn"),
    subtitle: field(form, "subtitle"),
    subtitleEn: field(form, "subtitleEn"),
    icon: field(form, "icon"),
    source: field(form, "source"),
    productIds: productIds.map((id) => id.trim()).filter(Boolean),
    category: field(form, "category"),
    limit: field(form, "limit"),
    startsAt: field(form, "startsAt"),
    endsAt: field(form, "endsAt"),
    enabled: form.enabled === "on",
  };
  return {
    values,
    input: {
      title: values.title,
      titleEn: values.titleEn,
      subtitle: values.subtitle,
      subtitleEn: values.subtitleEn,
      icon: values.icon || undefined,
      source: values.source,
      productIds: values.productIds,
      category: values.category === "" ? null : values.category,
      limit: /^\d{1,3}$/.test(values.limit) ? Number(values.limit) : values.limit === "" ? undefined : -1,
      enabled: values.enabled,
      startsAt: time(values.startsAt),
      endsAt: time(values.endsAt),
    },
  };
}
