import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";

/** One picture of the gallery: its attributes, a small one for the thumbnail, and the SKUs it shows. */
export interface GallerySlide {
  src: string;
  srcset?: string;
  sizes?: string;
  thumb: string;
  alt: string;
  /** The SKUs whose picture this is (empty for the product's own picture). */
  skuIds: string[];
}

/** Props: the pictures (the product's first) and labels (`{n}`, `{total}` filled in here). */
export interface ProductGalleryProps {
  [key: string]: unknown;
  slides: GallerySlide[];
  labels: { gallery: string; pictureOf: string; showPicture: string };
}

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));

/**
 * The product pictures: a row that snaps one picture at a time (swiped on phones, with dots and a
 * counter), thumbnails beside it on wider screens; the first picture loads at once, the others lazily.
 * Choosing a SKU with a picture of its own (the `sku-picked` event of the SKU picker) shows that picture.
 * Without script the row still swipes and each thumbnail links to its picture.
 */
export default function ProductGallery({ slides, labels }: ProductGalleryProps) {
  const active = useSignal(0);
  const track = useRef<HTMLDivElement>(null);
  /** The track's width as last laid out: scrolling while it changes is the browser's, not the shopper's. */
  const width = useRef(0);
  const many = slides.length > 1;

  const go = (i: number, smooth = true) => {
    const el = track.current;
    if (!el) return;
    el.scrollTo({ left: i * el.clientWidth, behavior: smooth ? "smooth" : "auto" });
    active.value = i;
  };

  useEffect(() => {
    const onPick = (e: Event) => {
      const skuId = (e as CustomEvent<{ skuId: string | null }>).detail?.skuId;
      const i = skuId ? slides.findIndex((s) => s.skuIds.includes(skuId)) : -1;
      if (i >= 0) go(i);
    };
    addEventListener("sku-picked", onPick);
    // A new width (a rotated phone, a scrollbar coming or going) keeps the picture shown in place.
    const el = track.current;
    width.current = el?.clientWidth ?? 0;
    const resized = new ResizeObserver(() => {
      if (!el || el.clientWidth === width.current) return;
      width.current = el.clientWidth;
      el.scrollTo({ left: active.value * width.current, behavior: "auto" });
    });
    if (el) resized.observe(el);
    // A resized window may have moved the row while laying it out narrower for a moment: put it back.
    const realign = () => el?.scrollTo({ left: active.value * el.clientWidth, behavior: "auto" });
    addEventListener("resize", realign);
    return () => {
      removeEventListener("sku-picked", onPick);
      removeEventListener("resize", realign);
      resized.disconnect();
    };
  }, []);

  const onScroll = () => {
    const el = track.current;
    if (!el || !el.clientWidth || el.clientWidth !== width.current) return;
    const i = Math.round(el.scrollLeft / el.clientWidth);
    if (i !== active.value) active.value = Math.max(0, Math.min(slides.length - 1, i));
  };

  return (
    <div class={many ? "gallery has-many" : "gallery"} data-testid="gallery">
      <div
        ref={track}
        class="gallery-track"
        role="group"
        aria-roledescription="carousel"
        aria-label={labels.gallery}
        tabIndex={many ? 0 : undefined}
        onScroll={onScroll}
      >
        {slides.map((s, i) => (
          <div
            key={s.src}
            id={`pic-${i + 1}`}
            class="gallery-slide"
            role={many ? "group" : undefined}
            aria-roledescription={many ? "slide" : undefined}
            aria-label={many ? fill(labels.pictureOf, { n: i + 1, total: slides.length }) : undefined}
          >
            <img
              class={i === 0 ? "product-hero" : "gallery-img"}
              src={s.src}
              srcset={s.srcset}
              sizes={s.sizes}
              alt={s.alt}
              width={480}
              height={480}
              loading={i === 0 ? undefined : "lazy"}
              fetchpriority={i === 0 ? "high" : undefined}
              decoding="async"
            />
          </div>
        ))}
      </div>
      {many && (
        <>
          <span class="gallery-count" aria-hidden="true">{active.value + 1}/{slides.length}</span>
          <div class="gallery-dots" aria-hidden="true">
            {slides.map((s, i) => <span key={s.src} class={i === active.value ? "dot on" : "dot"} />)}
          </div>
          <div class="gallery-thumbs">
            {slides.map((s, i) => (
              <a
                key={s.src}
                href={`#pic-${i + 1}`}
                class={i === active.value ? "gallery-thumb on" : "gallery-thumb"}
                aria-label={fill(labels.showPicture, { n: i + 1 })}
                aria-current={i === active.value ? "true" : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  go(i);
                }}
              >
                <img src={s.thumb} alt="" width={64} height={64} loading="lazy" decoding="async" />
              </a>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
