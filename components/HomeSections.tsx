import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import type { IconName } from "./icons.ts";
import { HOME_ICONS } from "../domain/catalogue/home.ts";
import type { CategoryEntrance, FlashItem, HomeBanner, HomeBlock } from "../services/shop_home.ts";
import type { ProductView } from "../services/catalogue.ts";
import { shortTime } from "../domain/shop_time.ts";
import { Island } from "../lib/island.tsx";
import BannerCarousel from "../islands/BannerCarousel.tsx";
import Countdown from "../islands/Countdown.tsx";
import { Icon } from "./Icon.tsx";
import { ProductCard, productName } from "./ProductCard.tsx";
import { ProductImg } from "./ProductImg.tsx";
import { categoryArt } from "./product_image.ts";

/** The icons a banner or block may show, as registry names (the compiler checks that each is registered). */
export const HOME_ICON_NAMES: readonly IconName[] = HOME_ICONS;

/** How long each banner shows before the carousel moves on. */
const BANNER_INTERVAL_MS = 5000;

/** A banner's face: the uploaded picture under a soft scrim, or the generated art (gradient, rings, icon). */
export function BannerFace({ banner, eager }: { banner: Pick<HomeBanner, "icon" | "picture">; eager?: boolean }) {
  if (banner.picture) {
    return (
      <img
        class="banner-img"
        src={banner.picture.src}
        srcset={banner.picture.srcset}
        sizes="(min-width: 1200px) 1176px, 100vw"
        alt=""
        width={960}
        height={320}
        loading={eager ? undefined : "lazy"}
        decoding="async"
      />
    );
  }
  return (
    <span class="banner-art" aria-hidden="true">
      <span class="banner-ring" />
      <span class="banner-ring banner-ring-2" />
      <span class="banner-icon">
        <Icon name={banner.icon} size={64} />
      </span>
    </span>
  );
}

/** The home's banner carousel: scroll-snapping slides (swipe without script) and, for several, the controls. */
export function HomeBanners({ banners, t }: { banners: HomeBanner[]; t: Translator }) {
  if (banners.length === 0) return null;
  return (
    <section class="banners" aria-roledescription="carousel" aria-label={t("hm.banners")} data-testid="banners">
      <div class="banner-track">
        {banners.map((b, i) => (
          <div
            key={b.id}
            class="banner-slide"
            role="group"
            aria-roledescription="slide"
            aria-label={t("hm.slide", { n: i + 1, total: banners.length })}
          >
            <a
              href={b.href}
              class={`banner theme-${b.theme}${b.picture ? " has-picture" : ""}`}
              data-banner={b.id}
            >
              <BannerFace banner={b} eager={i === 0} />
              <span class="banner-text">
                <strong class="banner-title">{b.title}</strong>
                {b.subtitle && <span class="banner-subtitle">{b.subtitle}</span>}
                <span class="banner-cta">
                  {t("hm.bannerCta")}
                  <Icon name="chevronRight" size={14} />
                </span>
              </span>
            </a>
          </div>
        ))}
      </div>
      {banners.length > 1 && (
        <Island
          of={BannerCarousel}
          props={{
            count: banners.length,
            intervalMs: BANNER_INTERVAL_MS,
            labels: { goTo: t.raw("hm.goToSlide"), pause: t.raw("hm.pause"), play: t.raw("hm.play") },
          }}
        />
      )}
    </section>
  );
}

/** The category entrances under the banners: a grid of round icon tiles in each category's colours. */
export function CategoryEntrances({ entrances, t }: { entrances: CategoryEntrance[]; t: Translator }) {
  if (entrances.length === 0) return null;
  return (
    <nav class="entrances card" aria-label={t("hm.categories")} data-testid="entrances">
      <ul>
        {entrances.map((c) => {
          const art = categoryArt(c.slug);
          return (
            <li key={c.id}>
              <a href={c.href} class="entrance tile">
                <span
                  class="entrance-icon"
                  style={`--light:${art.light};--deep:${art.deep};--ink:${art.ink}`}
                  aria-hidden="true"
                >
                  <Icon name={art.icon} size={24} />
                </span>
                <span class="entrance-name">{c.name}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** A section's title row: an icon badge, the title, a subtitle and a "more" link. */
export function SectionHead(
  { id, title, subtitle, icon, more, t }: {
    id: string;
    title: string;
    subtitle?: string;
    icon: IconName;
    more?: string | null;
    t: Translator;
  },
) {
  return (
    <div class="section-head">
      <h2 id={id}>
        <span class="section-icon" aria-hidden="true">
          <Icon name={icon} size={16} />
        </span>
        {title}
      </h2>
      {subtitle && <span class="section-sub">{subtitle}</span>}
      {more && (
        <a class="section-more" href={more} aria-label={t("hm.moreOf", { title })}>
          {t("hm.more")}
          <Icon name="chevronRight" size={14} />
        </a>
      )}
    </div>
  );
}

/** The flash-sale strip: sales running now or starting soon, each with its live countdown. */
export function FlashStrip({ items, t, locale }: { items: FlashItem[]; t: Translator; locale: Locale }) {
  if (items.length === 0) return null;
  const labels = {
    startsIn: t.raw("hm.flash.startsIn"),
    endsIn: t.raw("hm.flash.endsIn"),
    ended: t.raw("hm.flash.ended"),
    days: t.raw("hm.flash.days"),
  };
  return (
    <section class="flash card" aria-labelledby="flash-title" data-testid="flash-strip">
      <div class="flash-head">
        <h2 id="flash-title">
          <Icon name="zap" size={18} />
          {t("hm.flash.title")}
        </h2>
        <span class="flash-hint">{t("hm.flash.hint")}</span>
      </div>
      <ul class="flash-row">
        {items.map((f) => {
          const upcoming = f.phase === "upcoming";
          const initial = upcoming
            ? t("hm.flash.startsAt", { time: shortTime(f.startsAt) })
            : t("hm.flash.endsAt", { time: shortTime(f.endsAt) });
          return (
            <li key={f.product.id} class="flash-item" data-flash={f.product.id}>
              <a href={`/products/${f.product.id}`} class="flash-link tile">
                <span class="flash-pic">
                  <ProductImg id={f.product.id} imageUrl={f.product.imageUrl} size={120} sizes="120px" />
                  <span class={upcoming ? "flash-badge soon" : "flash-badge"}>
                    {upcoming ? t("hm.flash.soon") : t("hm.flash.running")}
                  </span>
                </span>
                <span class="flash-name">{productName(f.product, locale)}</span>
                <span class="price-row">
                  <span class="price">¥{f.price}</span>
                  {f.price !== f.product.price && <s class="price-old">¥{f.product.price}</s>}
                </span>
              </a>
              <Island of={Countdown} props={{ startsAt: f.startsAt, endsAt: f.endsAt, initial, labels }} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A row of products under a section head: a swipeable row on phones, a grid on wider screens. */
export function ProductRow({ products, t, locale }: { products: ProductView[]; t: Translator; locale: Locale }) {
  return (
    <div class="product-row">
      {products.map((p) => <ProductCard key={p.id} p={p} t={t} locale={locale} />)}
    </div>
  );
}

/** A featured block arranged in the console: its head and its products. */
export function HomeBlockSection({ block, t, locale }: { block: HomeBlock; t: Translator; locale: Locale }) {
  const id = `block-${block.id}`;
  return (
    <section class="home-section" aria-labelledby={id} data-block={block.id}>
      <SectionHead
        id={id}
        title={block.title}
        subtitle={block.subtitle}
        icon={block.icon}
        more={block.moreHref}
        t={t}
      />
      <ProductRow products={block.products} t={t} locale={locale} />
    </section>
  );
}
