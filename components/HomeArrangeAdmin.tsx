import type { Translator } from "../i18n/messages.ts";
import type { BannerView, BlockView, HomePart } from "../services/home_arrangement.ts";
import type { ScheduleState } from "../domain/catalogue/home.ts";
import { shortTime } from "../domain/shop_time.ts";
import { PostForm } from "./Form.tsx";
import { Icon } from "./Icon.tsx";
import { EmptyState } from "./DataTable.tsx";
import { BannerFace } from "./HomeSections.tsx";

/** The badge class of each state. */
const STATE_CLASS: Record<ScheduleState, string> = {
  live: "badge badge-ok",
  scheduled: "badge badge-info",
  ended: "badge badge-muted",
  disabled: "badge badge-muted",
};

/** An item's state as a badge. */
export function StateBadge({ state, t }: { state: ScheduleState; t: Translator }) {
  return <span class={STATE_CLASS[state]} data-state={state}>{t(`hm.state.${state}`)}</span>;
}

/** When an item shows, in shop time: always, from, until, or from–to. */
export function scheduleText(t: Translator, startsAt: string | null, endsAt: string | null): string {
  if (startsAt && endsAt) {
    return t("hm.schedule.range", { from: shortTime(startsAt), to: shortTime(endsAt) });
  }
  if (startsAt) return t("hm.schedule.from", { time: shortTime(startsAt) });
  if (endsAt) return t("hm.schedule.until", { time: shortTime(endsAt) });
  return t("hm.schedule.always");
}

/** The labelled row actions of a banner or block: up, down, edit, switch, delete (confirmed). */
function RowActions(
  { part, item, first, last, csrf, t }: {
    part: HomePart;
    item: { id: string; title: string; enabled: boolean };
    first: boolean;
    last: boolean;
    csrf: string;
    t: Translator;
  },
) {
  const base = `/admin/home/${part}/${item.id}`;
  const title = item.title;
  return (
    <div class="arrange-actions">
      <PostForm action={`${base}/up`} csrf={csrf} class="inline-form">
        <button class="btn btn-ghost btn-sm" type="submit" disabled={first} aria-label={t("hm.action.upOf", { title })}>
          <Icon name="chevronUp" size={16} />
          {t("hm.action.up")}
        </button>
      </PostForm>
      <PostForm action={`${base}/down`} csrf={csrf} class="inline-form">
        <button
          class="btn btn-ghost btn-sm"
          type="submit"
          disabled={last}
          aria-label={t("hm.action.downOf", { title })}
        >
          <Icon name="chevronDown" size={16} />
          {t("hm.action.down")}
        </button>
      </PostForm>
      <a class="btn btn-ghost btn-sm" href={base} aria-label={t("hm.action.editOf", { title })}>
        <Icon name="pencil" size={16} />
        {t("hm.action.edit")}
      </a>
      <PostForm action={`${base}/${item.enabled ? "disable" : "enable"}`} csrf={csrf} class="inline-form">
        <button
          class="btn btn-ghost btn-sm"
          type="submit"
          aria-label={t(item.enabled ? "hm.action.disableOf" : "hm.action.enableOf", { title })}
        >
          <Icon name={item.enabled ? "eyeOff" : "eye"} size={16} />
          {t(item.enabled ? "hm.action.disable" : "hm.action.enable")}
        </button>
      </PostForm>
      <details class="arrange-delete">
        <summary class="btn btn-ghost btn-sm" aria-label={t("hm.action.deleteOf", { title })}>
          <Icon name="trash" size={16} />
          {t("hm.action.delete")}
        </summary>
        <div class="arrange-confirm">
          <p>{t("hm.action.deleteHint")}</p>
          <PostForm action={`${base}/delete`} csrf={csrf} class="inline-form">
            <button class="btn btn-danger btn-sm" type="submit" aria-label={t("hm.action.deleteOf", { title })}>
              {t("hm.action.confirmDelete")}
            </button>
          </PostForm>
        </div>
      </details>
    </div>
  );
}

/** What a banner opens, in words: the product's name, the category's name or the path. */
function linkText(
  b: BannerView,
  t: Translator,
  names: { products: Map<string, string>; categories: Map<string, string> },
) {
  if (b.linkKind === "product") return `${t("hm.link.product")}：${names.products.get(b.linkTarget) ?? b.linkTarget}`;
  if (b.linkKind === "category") {
    return `${t("hm.link.category")}：${names.categories.get(b.linkTarget) ?? b.linkTarget}`;
  }
  return `${t("hm.link.path")}：${b.linkTarget}`;
}

/** What a block shows, in words (its source and how many). */
export function blockSourceText(b: BlockView, t: Translator, categories: Map<string, string>): string {
  if (b.source === "chosen") return t("hm.source.chosenN", { n: b.productIds.length });
  if (b.source === "category") {
    return t("hm.source.categoryN", { category: categories.get(b.category ?? "") ?? b.category ?? "", n: b.limit });
  }
  return t(b.source === "newest" ? "hm.source.newestN" : "hm.source.bestsellersN", { n: b.limit });
}

/** The console's 首页装修 page: the banners and the featured blocks, each in order with its row actions. */
export function HomeArrangeAdmin(
  { t, csrf, message, banners, blocks, names }: {
    t: Translator;
    csrf: string;
    message?: { kind: "ok" | "error"; text: string };
    banners: BannerView[];
    blocks: BlockView[];
    names: { products: Map<string, string>; categories: Map<string, string> };
  },
) {
  return (
    <section class="stack arrange">
      <div class="page-head">
        <div>
          <h1>{t("hm.admin.title")}</h1>
          <p class="muted">{t("hm.admin.lead")}</p>
        </div>
        <a class="btn btn-ghost btn-sm" href="/">
          <Icon name="store" size={16} />
          {t("hm.admin.preview")}
        </a>
      </div>
      {message && (
        <p class={message.kind === "ok" ? "alert alert-ok" : "alert alert-error"} role="status">{message.text}</p>
      )}
      <section class="card arrange-card" aria-labelledby="arrange-banners">
        <div class="card-head">
          <h2 id="arrange-banners">
            {t("hm.banner.list")} <span class="muted">{t("hm.banner.count", { n: banners.length })}</span>
          </h2>
          <a class="btn btn-primary btn-sm" href="/admin/home/banners/new">
            <Icon name="plus" size={16} />
            {t("hm.banner.add")}
          </a>
        </div>
        {banners.length === 0
          ? (
            <EmptyState text={t("hm.banner.empty")} hint={t("hm.banner.emptyHint")} icon="image">
              <a class="btn btn-primary btn-sm" href="/admin/home/banners/new">{t("hm.banner.add")}</a>
            </EmptyState>
          )
          : (
            <ol class="arrange-list" data-testid="arrange-banners">
              {banners.map((b, i) => (
                <li key={b.id} class="arrange-item" data-id={b.id}>
                  <span class="arrange-no">{i + 1}</span>
                  <span class={`arrange-preview banner theme-${b.theme}${b.picture ? " has-picture" : ""}`}>
                    <BannerFace banner={b} />
                    <span class="banner-text">
                      <strong class="banner-title">{b.title}</strong>
                    </span>
                  </span>
                  <div class="arrange-main">
                    <p class="arrange-title">
                      <a href={`/admin/home/banners/${b.id}`}>{b.title}</a> <StateBadge state={b.state} t={t} />
                    </p>
                    {b.subtitle && <p class="muted arrange-sub">{b.subtitle}</p>}
                    <p class="arrange-meta">
                      <span>
                        <Icon name="link" size={14} />
                        {linkText(b, t, names)}
                      </span>
                      <span>
                        <Icon name="calendarClock" size={14} />
                        {scheduleText(t, b.startsAt, b.endsAt)}
                      </span>
                    </p>
                  </div>
                  <RowActions
                    part="banners"
                    item={b}
                    first={i === 0}
                    last={i === banners.length - 1}
                    csrf={csrf}
                    t={t}
                  />
                </li>
              ))}
            </ol>
          )}
      </section>
      <section class="card arrange-card" aria-labelledby="arrange-blocks">
        <div class="card-head">
          <h2 id="arrange-blocks">
            {t("hm.block.list")} <span class="muted">{t("hm.block.count", { n: blocks.length })}</span>
          </h2>
          <a class="btn btn-primary btn-sm" href="/admin/home/blocks/new">
            <Icon name="plus" size={16} />
            {t("hm.block.add")}
          </a>
        </div>
        {blocks.length === 0
          ? (
            <EmptyState text={t("hm.block.empty")} hint={t("hm.block.emptyHint")} icon="layoutTemplate">
              <a class="btn btn-primary btn-sm" href="/admin/home/blocks/new">{t("hm.block.add")}</a>
            </EmptyState>
          )
          : (
            <ol class="arrange-list" data-testid="arrange-blocks">
              {blocks.map((b, i) => (
                <li key={b.id} class="arrange-item" data-id={b.id}>
                  <span class="arrange-no">{i + 1}</span>
                  <span class="arrange-block-icon" aria-hidden="true">
                    <Icon name={b.icon} size={22} />
                  </span>
                  <div class="arrange-main">
                    <p class="arrange-title">
                      <a href={`/admin/home/blocks/${b.id}`}>{b.title}</a> <StateBadge state={b.state} t={t} />
                    </p>
                    {b.subtitle && <p class="muted arrange-sub">{b.subtitle}</p>}
                    <p class="arrange-meta">
                      <span>
                        <Icon name="package" size={14} />
                        {blockSourceText(b, t, names.categories)}
                      </span>
                      <span>
                        <Icon name="calendarClock" size={14} />
                        {scheduleText(t, b.startsAt, b.endsAt)}
                      </span>
                    </p>
                  </div>
                  <RowActions
                    part="blocks"
                    item={b}
                    first={i === 0}
                    last={i === blocks.length - 1}
                    csrf={csrf}
                    t={t}
                  />
                </li>
              ))}
            </ol>
          )}
      </section>
      <p class="muted arrange-note">
        <Icon name="sparkles" size={14} />
        {t("hm.admin.auto")}
      </p>
    </section>
  );
}
