/**
 * The shop home's arrangement (首页装修) as plain rules: what a banner may link to, when an item is shown,
 * how items move up and down, and the countdown of a flash sale. Pure: every function takes `now`.
 */

/** The colour schemes of a banner's generated art (a gradient deep enough for white text). */
export const BANNER_THEMES = ["red", "orange", "rose", "purple", "indigo", "teal", "green", "ink"] as const;
/** A banner colour scheme. */
export type BannerTheme = (typeof BANNER_THEMES)[number];

/** The icons a banner's art or a block's title may show (names in the icon registry, `components/icons.ts`). */
export const HOME_ICONS = [
  "gift",
  "sparkles",
  "flame",
  "zap",
  "tag",
  "percent",
  "star",
  "heart",
  "crown",
  "truck",
  "shoppingBag",
  "timer",
  "apple",
  "baby",
  "sofa",
  "smartphone",
  "shirt",
  "dumbbell",
  "heartPulse",
  "droplets",
] as const;
/** An icon of the home's art. */
export type HomeIcon = (typeof HOME_ICONS)[number];

/** What a banner links to: a product (its id), a category (its slug) or a page of the shop (a path). */
export const LINK_KINDS = ["product", "category", "path"] as const;
/** A banner's kind of link. */
export type LinkKind = (typeof LINK_KINDS)[number];

/** Where a featured block's products come from. */
export const BLOCK_SOURCES = ["chosen", "newest", "bestsellers", "category"] as const;
/** A featured block's source of products. */
export type BlockSource = (typeof BLOCK_SOURCES)[number];

/** Paths that are not shop pages (the console, the API, scripts, the sandbox, signing out). */
const NOT_SHOP = /^\/(admin|api|_islands|sandbox|logout|images)(?=[/?#.]|$)/i;

/**
 * Whether `path` is a path on this site (a SKU picture, a banner link): a single `/` followed by a
 * character that is neither `/` nor a backslash (so it can never name another site: no `//host`, no `/\host`,
 * no scheme), with no spaces, quotes, angle brackets, backslashes or control characters, at most `max` long.
 */
export function isSameSitePath(path: string, max = 500): boolean {
  if (path.length < 2 || path.length > max) return false;
  if (!/^\/[^/\\\s<>"'`{}|^][^\s<>"'`\\{}|^]*$/u.test(path)) return false;
  // A control character never belongs in a link (the pattern above lets other non-ASCII through).
  // deno-lint-ignore no-control-regex
  return !/[\u0000-\u001f\u007f]/.test(path);
}

/**
 * Whether `path` is a page of this shop a banner may link to: `/` or a same-site path
 * (`isSameSitePath`) of at most 200 characters that is not in the console, the API or another
 * non-shop area.
 */
export function isShopPath(path: string): boolean {
  if (path !== "/" && !isSameSitePath(path, 200)) return false;
  return !NOT_SHOP.test(path);
}

/** The shop URL of a banner's link. */
export function linkHref(kind: LinkKind, target: string): string {
  if (kind === "product") return `/products/${target}`;
  if (kind === "category") return `/?category=${encodeURIComponent(target)}`;
  return target;
}

/** Whether an arranged item is shown now: live, waiting for its start, past its end, or switched off. */
export type ScheduleState = "live" | "scheduled" | "ended" | "disabled";

/** The state of an item that is `enabled` and shown from `startsAt` (inclusive) to `endsAt` (exclusive). */
export function scheduleState(
  item: { enabled: boolean; startsAt: string | null; endsAt: string | null },
  now: number,
): ScheduleState {
  if (!item.enabled) return "disabled";
  if (item.endsAt !== null && Date.parse(item.endsAt) <= now) return "ended";
  if (item.startsAt !== null && Date.parse(item.startsAt) > now) return "scheduled";
  return "live";
}

/**
 * The order after moving `id` one place up (towards the first) or down; the same order when it is
 * already at that end, and null when `id` is not in the list.
 */
export function moveInOrder(ids: readonly string[], id: string, direction: "up" | "down"): string[] | null {
  const at = ids.indexOf(id);
  if (at < 0) return null;
  const to = direction === "up" ? at - 1 : at + 1;
  const out = [...ids];
  if (to < 0 || to >= out.length) return out;
  [out[at], out[to]] = [out[to], out[at]];
  return out;
}

/** Where a flash sale stands at `now`: not yet started, running, or over. */
export type FlashPhase = "upcoming" | "running" | "ended";

/** The phase of a flash sale running from `startsAt` (inclusive) to `endsAt` (exclusive). */
export function flashPhase(startsAt: string, endsAt: string, now: number): FlashPhase {
  if (now < Date.parse(startsAt)) return "upcoming";
  return now < Date.parse(endsAt) ? "running" : "ended";
}

/** A countdown's parts: whole days, then hours, minutes and seconds (never negative). */
export interface CountdownParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** What is left until `target` at `now`, cut to whole seconds (0 once it has passed). */
export function countdownParts(target: string, now: number): CountdownParts {
  const left = Math.max(0, Math.floor((Date.parse(target) - now) / 1000));
  return {
    days: Math.floor(left / 86_400),
    hours: Math.floor((left % 86_400) / 3600),
    minutes: Math.floor((left % 3600) / 60),
    seconds: left % 60,
  };
}

/** A number as two digits ("07"). */
export function twoDigits(n: number): string {
  return String(n).padStart(2, "0");
}
