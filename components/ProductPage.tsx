import { Fragment } from "preact";
import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import { appConfig } from "../fresh.config.ts";
import type { ProductView } from "../services/catalogue.ts";
import { shortTime } from "../domain/shop_time.ts";
import { Island } from "../lib/island.tsx";
import { PostForm } from "./Form.tsx";
import { Icon } from "./Icon.tsx";
import { iconBody } from "./icons.ts";
import { pictureAttrs, productImgAttrs } from "./ProductImg.tsx";
import SkuPicker, { type ShareLabels, type ShareTools, type SkuPickerProps } from "../islands/SkuPicker.tsx";
import ProductGallery, { type GallerySlide, type ProductGalleryProps } from "../islands/ProductGallery.tsx";

/** What the product page shows besides the product: the distributor's earnings per SKU and share tools. */
export interface ProductPageExtras {
  /** "分享赚" per SKU id (decimal strings), for a distributor who may earn. */
  share?: Record<string, string>;
  tools?: Omit<ShareTools, "labels">;
}

/** The gallery's pictures: the product's own, then each distinct SKU picture (with the SKUs it shows). */
export function gallerySlides(p: ProductView, name: string): GallerySlide[] {
  const hero = productImgAttrs({ id: p.id, imageUrl: p.imageUrl, size: 480, sizes: "(min-width: 768px) 480px, 100vw" });
  const slides: GallerySlide[] = [{
    ...hero,
    thumb: productImgAttrs({ id: p.id, imageUrl: p.imageUrl, size: 64 }).src,
    alt: name,
    skuIds: [],
  }];
  for (const s of p.skus) {
    // Only pictures served by this site: the page's Content-Security-Policy allows no others.
    if (!s.imageUrl?.startsWith("/")) continue;
    const same = slides.find((g) => g.skuIds.length && g.src === pictureAttrs(s.imageUrl!, 480).src);
    if (same) {
      same.skuIds.push(s.id);
      continue;
    }
    const label = Object.values(s.specs).join(" / ");
    slides.push({
      ...pictureAttrs(s.imageUrl, 480, "(min-width: 768px) 480px, 100vw"),
      thumb: pictureAttrs(s.imageUrl, 64).src,
      alt: label ? `${name} · ${label}` : name,
      skuIds: [s.id],
    });
  }
  return slides;
}

/** The share tools' labels in the reader's language. */
function shareLabels(t: Translator, name: string): ShareLabels {
  return {
    shareEarn: t.raw("product.shareEarn"),
    shareEarnFrom: t.raw("product.shareEarnFrom"),
    shareTitle: t("product.shareTitle"),
    shareHint: t("product.shareHint"),
    sharePoster: t("product.sharePoster"),
    posterAlt: t("product.posterAlt", { name }),
    savePoster: t("product.savePoster"),
    shareLink: t("product.shareLink"),
    copy: t("product.copy"),
    copied: t("product.copied"),
    moreTools: t("product.moreTools"),
  };
}

/** The buy box's props: SKUs with their share, what can be done, the flash sale, labels and icons. */
export function pickerProps(
  p: ProductView,
  name: string,
  t: Translator,
  extras: ProductPageExtras,
  now: string,
): SkuPickerProps {
  return {
    axes: p.skuAxes,
    skus: p.skus.map((s) => ({
      id: s.id,
      specs: s.specs,
      price: s.price,
      memberPrice: s.memberPrice,
      stock: s.stock,
      lowStock: s.lowStock,
      imageUrl: s.imageUrl,
      ...(extras.share?.[s.id] ? { share: extras.share[s.id] } : {}),
    })),
    state: !p.onSale ? "offShelf" : p.stock <= 0 ? "soldOut" : "open",
    flash: p.flashSale
      ? {
        price: p.flashSale.price,
        endsAt: p.flashSale.endsAt,
        ends: t("product.flashEnds", { time: shortTime(p.flashSale.endsAt) }),
        label: t("product.flashLabel"),
        now,
        countdown: {
          startsIn: t.raw("hm.flash.startsIn"),
          endsIn: t.raw("hm.flash.endsIn"),
          ended: t("product.flashEnded"),
          days: t.raw("hm.flash.days"),
        },
      }
      : null,
    share: extras.share && extras.tools ? { ...extras.tools, labels: shareLabels(t, name) } : null,
    labels: {
      choose: t("product.chooseSku"),
      chooseAxes: t.raw("product.chooseAxes"),
      chosen: t("product.chosen"),
      soldOut: t("product.soldOut"),
      offShelf: t("product.offShelf"),
      lowStock: t.raw("product.lowStock"),
      inStock: t("product.inStock"),
      stock: t("product.stock"),
      quantity: t("cart.quantity"),
      decrease: t("product.decrease"),
      increase: t("product.increase"),
      maxQty: t.raw("product.maxQty"),
      add: t("cart.add"),
      buyNow: t("product.buyNow"),
      cart: t("nav.cart"),
      from: t.raw("product.priceFrom"),
      memberPrice: t("product.memberPrice"),
    },
    icons: {
      minus: iconBody("minus"),
      plus: iconBody("plus"),
      cart: iconBody("cart"),
      share: iconBody("share"),
      copy: iconBody("copy"),
      zap: iconBody("zap"),
      download: iconBody("download"),
    },
  };
}

/**
 * One product: the gallery beside the buy box (price, "分享赚" for distributors, SKU choices, quantity,
 * 加入购物车 / 立即购买 in a bar that stays above the phone's tab bar), the shop's service promises, and the
 * details. The buy form posts to `/cart/set` (立即购买 to `/cart/buy`) and works without script.
 */
export function ProductPage(
  { p, name, t, locale, csrf, extras, now }: {
    p: ProductView;
    name: string;
    t: Translator;
    locale: Locale;
    csrf: string;
    extras: ProductPageExtras;
    /** The server's clock (ISO), for the flash sale's countdown. */
    now: string;
  },
) {
  const slides = gallerySlides(p, name);
  const galleryProps: ProductGalleryProps = {
    slides,
    labels: {
      gallery: t("product.gallery"),
      pictureOf: t.raw("product.pictureOf"),
      showPicture: t.raw("product.showPicture"),
    },
  };
  const category = locale === "en" ? p.categoryName.en : p.categoryName.zh;
  return (
    <article class="product-page">
      <nav class="crumbs" aria-label={t("product.category")}>
        <a href="/">{t("nav.shop")}</a>
        <Icon name="chevronRight" size={14} />
        <a href={`/?category=${encodeURIComponent(p.category)}`}>{category}</a>
      </nav>
      <div class="product-layout">
        {/* One picture needs no script; several swipe, count and follow the chosen SKU. */}
        {slides.length > 1 ? <Island of={ProductGallery} props={galleryProps} /> : <ProductGallery {...galleryProps} />}
        <div class="product-info card">
          <h1>{name}</h1>
          {locale !== "en" && p.nameEn && <p class="muted product-subname">{p.nameEn}</p>}
          <PostForm action="/cart/set" csrf={csrf} class="buy-form">
            <input type="hidden" name="productId" value={p.id} />
            <input type="hidden" name="mode" value="add" />
            <Island of={SkuPicker} props={pickerProps(p, name, t, extras, now)} />
          </PostForm>
          <dl class="service-row">
            <dt>{t("product.serviceLabel")}</dt>
            <dd>
              <span>
                <Icon name="shieldCheck" size={14} />
                {t("product.service.genuine")}
              </span>
              <span>
                <Icon name="rotateCcw" size={14} />
                {t("product.service.returns", { days: appConfig.shop.returnWindowDays })}
              </span>
              <span>
                <Icon name="truck" size={14} />
                {t("product.service.shipping", { amount: appConfig.shop.freeShippingOver })}
              </span>
            </dd>
          </dl>
        </div>
      </div>
      <section class="product-details card" aria-labelledby="details-title">
        <h2 id="details-title">{t("product.details")}</h2>
        {p.brand && <p class="muted">{t("product.brand")}: {p.brand}</p>}
        <p class="description">{p.description}</p>
        {Object.keys(p.specs).length > 0 && (
          <dl class="facts">
            {Object.entries(p.specs).map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </section>
    </article>
  );
}
