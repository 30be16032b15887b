import type { ComponentChildren } from "preact";
import type { Translator } from "../i18n/messages.ts";
import type { BannerView } from "../services/home_arrangement.ts";
import type { ProductChoice } from "../services/shop_home.ts";
import type { BannerFormValues, BlockFormValues } from "../lib/home_form.ts";
import { BANNER_THEMES, BLOCK_SOURCES, HOME_ICONS, LINK_KINDS } from "../domain/catalogue/home.ts";
import { Island } from "../lib/island.tsx";
import ProductChooser from "../islands/ProductChooser.tsx";
import { FormAlert, PostForm } from "./Form.tsx";
import { Icon } from "./Icon.tsx";
import { BannerFace } from "./HomeSections.tsx";

/** Field errors by form field name, in the manager's language. */
type Errors = Record<string, string>;

/** One labelled control with its hint or error, wired for screen readers. */
function Control(
  props: {
    name: string;
    label: string;
    error?: string;
    hint?: string;
    wide?: boolean;
    /** Extra classes (the form shows some controls only for one choice). */
    class?: string;
    children: ComponentChildren;
  },
) {
  const id = `f-${props.name}`;
  const cls = ["field", props.wide && "field-wide", props.error && "has-error", props.class];
  return (
    <div class={cls.filter(Boolean).join(" ")}>
      <label for={id}>{props.label}</label>
      {props.children}
      {props.error
        ? <p class="field-error" id={`${id}-error`}>{props.error}</p>
        : props.hint && <p class="field-hint" id={`${id}-hint`}>{props.hint}</p>}
    </div>
  );
}

/** Attributes linking an input to its Control's hint or error. */
function described(name: string, error?: string, hint?: string) {
  const id = `f-${name}`;
  return {
    id,
    name,
    "aria-invalid": error ? "true" as const : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  };
}

/** A group of radio choices with a legend, and its error. */
function Choices(
  { legend, error, children, class: cls, quiet }: {
    legend: string;
    error?: string;
    children: ComponentChildren;
    class: string;
    /** The section's own legend says it: this one is for screen readers only. */
    quiet?: boolean;
  },
) {
  return (
    <fieldset class={`choices ${cls}${error ? " has-error" : ""}`}>
      <legend class={quiet ? "sr-only" : undefined}>{legend}</legend>
      <div class="choices-row">{children}</div>
      {error && <p class="field-error">{error}</p>}
    </fieldset>
  );
}

/** The icon choices of a banner's art or a block's title. */
function IconChoices({ value, error, t }: { value: string; error?: string; t: Translator }) {
  return (
    <Choices legend={t("hm.field.icon")} error={error} class="icon-choices">
      {HOME_ICONS.map((name) => (
        <label key={name} class="icon-choice">
          <input type="radio" name="icon" value={name} checked={value === name} />
          <span class="icon-choice-face" aria-hidden="true">
            <Icon name={name} size={20} />
          </span>
          <span class="icon-choice-name">{t.label("hm.icon", name)}</span>
        </label>
      ))}
    </Choices>
  );
}

/** The schedule and the on/off switch of a banner or block. */
function ScheduleFields(
  { values, errors, t }: {
    values: { startsAt: string; endsAt: string; enabled: boolean };
    errors: Errors;
    t: Translator;
  },
) {
  const hint = t("hm.schedule.hint");
  return (
    <fieldset class="form-grid">
      <legend>{t("hm.field.schedule")}</legend>
      <Control name="startsAt" label={t("hm.field.startsAt")} error={errors.startsAt} hint={hint}>
        <input type="datetime-local" {...described("startsAt", errors.startsAt, hint)} value={values.startsAt} />
      </Control>
      <Control name="endsAt" label={t("hm.field.endsAt")} error={errors.endsAt} hint={hint}>
        <input type="datetime-local" {...described("endsAt", errors.endsAt, hint)} value={values.endsAt} />
      </Control>
      <label class="check field-wide">
        <input type="checkbox" name="enabled" value="on" checked={values.enabled} /> {t("hm.field.enabled")}
      </label>
    </fieldset>
  );
}

/** The titles (Chinese, and optionally English) of a banner or block. */
function TitleFields(
  { values, errors, t, max }: {
    values: { title: string; titleEn: string; subtitle: string; subtitleEn: string };
    errors: Errors;
    t: Translator;
    max: { title: number; subtitle: number };
  },
) {
  return (
    <>
      <Control name="title" label={t("hm.field.title")} error={errors.title}>
        <input {...described("title", errors.title)} value={values.title} required maxLength={max.title} />
      </Control>
      <Control name="subtitle" label={t("hm.field.subtitle")} error={errors.subtitle}>
        <input {...described("subtitle", errors.subtitle)} value={values.subtitle} maxLength={max.subtitle} />
      </Control>
      <details class="field-wide english-fields" open={Boolean(values.titleEn || values.subtitleEn) || undefined}>
        <summary>{t("hm.field.english")}</summary>
        <div class="form-grid-inner">
          <Control name="titleEn" label={t("hm.field.titleEn")} error={errors.titleEn}>
            <input {...described("titleEn", errors.titleEn)} value={values.titleEn} lang="en" />
          </Control>
          <Control name="subtitleEn" label={t("hm.field.subtitleEn")} error={errors.subtitleEn}>
            <input {...described("subtitleEn", errors.subtitleEn)} value={values.subtitleEn} lang="en" />
          </Control>
        </div>
      </details>
    </>
  );
}

/** The form's save and cancel buttons. */
function Actions({ t, isNew }: { t: Translator; isNew: boolean }) {
  return (
    <div class="actions form-actions">
      <button class="btn btn-primary" type="submit">{t(isNew ? "hm.action.create" : "hm.action.save")}</button>
      <a class="btn btn-ghost" href="/admin/home">{t("hm.action.cancel")}</a>
    </div>
  );
}

/** The banner form (multipart: it may carry a picture): titles, link, look, schedule. */
export function BannerForm(
  { t, csrf, action, values: v, errors: e, message, current, products, categories }: {
    t: Translator;
    csrf: string;
    action: string;
    values: BannerFormValues;
    errors: Errors;
    message?: string;
    /** The stored banner (its current look is shown), or null for a new one. */
    current: BannerView | null;
    products: ProductChoice[];
    categories: { slug: string; name: string }[];
  },
) {
  return (
    <form
      method="post"
      action={action}
      enctype="multipart/form-data"
      class="form product-form card arrange-form"
      novalidate
    >
      <input type="hidden" name="_csrf" value={csrf} />
      <FormAlert message={message} />
      {current && (
        <div class="arrange-current">
          <p class="muted">{t("hm.picture.current")}</p>
          <span class={`banner arrange-current-banner theme-${current.theme}${current.picture ? " has-picture" : ""}`}>
            <BannerFace banner={current} eager />
            <span class="banner-text">
              <strong class="banner-title">{current.title}</strong>
              {current.subtitle && <span class="banner-subtitle">{current.subtitle}</span>}
            </span>
          </span>
        </div>
      )}
      <fieldset class="form-grid">
        <legend>{t("hm.field.title")}</legend>
        <TitleFields values={v} errors={e} t={t} max={{ title: 40, subtitle: 80 }} />
      </fieldset>
      <fieldset class="form-grid">
        <legend>{t("hm.field.link")}</legend>
        <Choices legend={t("hm.field.link")} error={e.linkKind} class="field-wide segmented" quiet>
          {LINK_KINDS.map((k) => (
            <label key={k} class="segment">
              <input type="radio" name="linkKind" value={k} checked={v.linkKind === k} />
              <span>{t(`hm.link.${k}`)}</span>
            </label>
          ))}
        </Choices>
        <Control name="linkProduct" label={t("hm.field.linkProduct")} error={e.linkProduct} class="for-product" wide>
          <select {...described("linkProduct", e.linkProduct)}>
            <option value="">—</option>
            {products.map((p) => (
              <option key={p.id} value={p.id} selected={v.linkProduct === p.id}>{p.name} · ¥{p.price}</option>
            ))}
          </select>
        </Control>
        <Control
          name="linkCategory"
          label={t("hm.field.linkCategory")}
          error={e.linkCategory}
          class="for-category"
          wide
        >
          <select {...described("linkCategory", e.linkCategory)}>
            <option value="">—</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug} selected={v.linkCategory === c.slug}>{c.name}</option>
            ))}
          </select>
        </Control>
        <Control
          name="linkPath"
          label={t("hm.field.linkPath")}
          error={e.linkPath}
          hint={t("hm.field.linkPathHint")}
          class="for-path"
          wide
        >
          <input
            {...described("linkPath", e.linkPath, t("hm.field.linkPathHint"))}
            value={v.linkPath}
            maxLength={200}
            placeholder="/?sort=newest"
            inputMode="url"
          />
        </Control>
      </fieldset>
      <fieldset class="form-grid">
        <legend>{t("hm.field.picture")}</legend>
        <Choices legend={t("hm.field.picture")} class="field-wide segmented" quiet>
          <label class="segment">
            <input type="radio" name="picture" value="art" checked={v.picture === "art"} />
            <span>{t("hm.picture.art")}</span>
          </label>
          <label class="segment">
            <input type="radio" name="picture" value="upload" checked={v.picture === "upload"} />
            <span>{t("hm.picture.upload")}</span>
          </label>
        </Choices>
        <Control
          name="image"
          label={t("hm.picture.upload")}
          error={e.image}
          hint={t("hm.picture.hint")}
          class="for-upload"
          wide
        >
          <input
            type="file"
            accept="image/png,image/jpeg,image/webp"
            {...described("image", e.image, t("hm.picture.hint"))}
          />
        </Control>
        <Choices legend={t("hm.field.theme")} error={e.theme} class="field-wide theme-choices">
          {BANNER_THEMES.map((th) => (
            <label key={th} class="theme-choice">
              <input type="radio" name="theme" value={th} checked={v.theme === th} />
              <span class={`theme-swatch theme-${th}`} aria-hidden="true" />
              <span>{t(`hm.theme.${th}`)}</span>
            </label>
          ))}
        </Choices>
        <div class="field-wide">
          <IconChoices value={v.icon} error={e.icon} t={t} />
        </div>
      </fieldset>
      <ScheduleFields values={v} errors={e} t={t} />
      <Actions t={t} isNew={!current} />
    </form>
  );
}

/** The featured-block form: titles, icon, where its products come from, schedule. */
export function BlockForm(
  { t, csrf, action, values: v, errors: e, message, isNew, products, categories }: {
    t: Translator;
    csrf: string;
    action: string;
    values: BlockFormValues;
    errors: Errors;
    message?: string;
    isNew: boolean;
    products: ProductChoice[];
    categories: { slug: string; name: string }[];
  },
) {
  const productsHint = t("hm.products.hint");
  return (
    <PostForm action={action} csrf={csrf} class="form product-form card arrange-form">
      <FormAlert message={message} />
      <fieldset class="form-grid">
        <legend>{t("hm.field.title")}</legend>
        <TitleFields values={v} errors={e} t={t} max={{ title: 20, subtitle: 40 }} />
        <div class="field-wide">
          <IconChoices value={v.icon} error={e.icon} t={t} />
        </div>
      </fieldset>
      <fieldset class="form-grid">
        <legend>{t("hm.field.source")}</legend>
        <Choices legend={t("hm.field.source")} error={e.source} class="field-wide segmented" quiet>
          {BLOCK_SOURCES.map((s) => (
            <label key={s} class="segment">
              <input type="radio" name="source" value={s} checked={v.source === s} />
              <span>{t(`hm.source.${s}`)}</span>
            </label>
          ))}
        </Choices>
        <Control name="category" label={t("hm.field.category")} error={e.category} class="for-category">
          <select {...described("category", e.category)}>
            <option value="">—</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug} selected={v.category === c.slug}>{c.name}</option>
            ))}
          </select>
        </Control>
        <Control name="limit" label={t("hm.field.limit")} error={e.limit} hint={t("hm.field.limitHint")}>
          <input
            {...described("limit", e.limit, t("hm.field.limitHint"))}
            value={v.limit}
            inputMode="numeric"
            maxLength={2}
          />
        </Control>
        <div class={e.productIds ? "field field-wide for-chosen has-error" : "field field-wide for-chosen"}>
          <p class="field-label" id="f-productIds-label">{t("hm.field.products")}</p>
          {e.productIds
            ? <p class="field-error" id="f-productIds-error">{e.productIds}</p>
            : <p class="field-hint" id="f-productIds-hint">{productsHint}</p>}
          <Island
            of={ProductChooser}
            props={{
              name: "productIds",
              products: products,
              chosen: v.productIds,
              max: 20,
              describedBy: e.productIds ? "f-productIds-error" : "f-productIds-hint",
              labels: {
                filter: t.raw("hm.products.filter"),
                chosen: t.raw("hm.products.chosen"),
                none: t.raw("hm.products.none"),
                upOf: t.raw("hm.action.upOf"),
                downOf: t.raw("hm.action.downOf"),
              },
            }}
          />
        </div>
      </fieldset>
      <ScheduleFields values={v} errors={e} t={t} />
      <Actions t={t} isNew={isNew} />
    </PostForm>
  );
}
