import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";

/** Labels in the visitor's language (`{n}` is a slide's number). */
export interface BannerCarouselLabels {
  goTo: string;
  pause: string;
  play: string;
}

/** Props: how many slides the carousel beside it has, how long each shows, and the labels. */
export interface BannerCarouselProps {
  [key: string]: unknown;
  count: number;
  intervalMs: number;
  labels: BannerCarouselLabels;
}

/**
 * The controls of the home's banner carousel: one dot per slide and a pause button. The slides themselves
 * are server-rendered links in a scroll-snapping track (`.banner-track`, swipeable without script); this
 * island follows the track's scroll to light the right dot, moves to the next slide every `intervalMs`
 * (smoothly), and stops moving while the pointer or focus is inside, while the tab is hidden, when paused,
 * and from the start for visitors who ask for reduced motion (they may press play).
 */
export default function BannerCarousel({ count, intervalMs, labels }: BannerCarouselProps) {
  const root = useRef<HTMLDivElement>(null);
  const active = useSignal(0);
  const playing = useSignal(true);
  const track = () => root.current?.closest(".banners")?.querySelector<HTMLElement>(".banner-track") ?? null;
  const reduced = () => matchMedia("(prefers-reduced-motion: reduce)").matches;
  const show = (i: number) => {
    const t = track();
    if (t) t.scrollTo({ left: i * t.clientWidth, behavior: reduced() ? "auto" : "smooth" });
  };
  useEffect(() => {
    const t = track();
    const section = root.current?.closest<HTMLElement>(".banners");
    if (!t || !section) return;
    if (reduced()) playing.value = false;
    let held = false;
    const hold = () => (held = true);
    const release = () => (held = false);
    const onScroll = () => {
      active.value = Math.min(count - 1, Math.max(0, Math.round(t.scrollLeft / Math.max(1, t.clientWidth))));
    };
    t.addEventListener("scroll", onScroll, { passive: true });
    section.addEventListener("pointerenter", hold);
    section.addEventListener("pointerleave", release);
    section.addEventListener("focusin", hold);
    section.addEventListener("focusout", release);
    const timer = setInterval(() => {
      if (playing.value && !held && !document.hidden) show((active.value + 1) % count);
    }, intervalMs);
    return () => {
      clearInterval(timer);
      t.removeEventListener("scroll", onScroll);
      section.removeEventListener("pointerenter", hold);
      section.removeEventListener("pointerleave", release);
      section.removeEventListener("focusin", hold);
      section.removeEventListener("focusout", release);
    };
  }, []);
  return (
    <div class="banner-controls" ref={root}>
      <div class="banner-dots">
        {Array.from({ length: count }, (_, i) => (
          <button
            key={i}
            type="button"
            class={i === active.value ? "banner-dot active" : "banner-dot"}
            aria-label={labels.goTo.replace("{n}", String(i + 1))}
            aria-current={i === active.value ? "true" : undefined}
            onClick={() => show(i)}
          />
        ))}
      </div>
      <button
        type="button"
        class="banner-toggle"
        aria-label={playing.value ? labels.pause : labels.play}
        data-testid="banner-toggle"
        onClick={() => (playing.value = !playing.value)}
      >
        <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
          {playing.value
            ? <path d="M7 5h3v14H7zM14 5h3v14h-3z" fill="currentColor" />
            : <path d="M8 5v14l11-7z" fill="currentColor" />}
        </svg>
      </button>
    </div>
  );
}
