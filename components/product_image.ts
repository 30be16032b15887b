import type { ProductRow } from "../db/products_repo.ts";
import { escapeHtml } from "../lib/render.tsx";
import { iconBody, type IconName } from "./icons.ts";

/** Bump when the drawing changes, so that browsers fetch the new art (it is part of every `?v=`). */
export const ART_VERSION = "2";

/** The widths (px) of the WebP thumbnails kept for an uploaded picture. */
export const THUMB_WIDTHS = [160, 320, 640] as const;
/** A thumbnail width. */
export type ThumbWidth = (typeof THUMB_WIDTHS)[number];

/** Per category: its icon and a background (light, deeper) with an ink colour for the icon and name. */
const CATEGORY_ART: Record<string, { icon: IconName; light: string; deep: string; ink: string }> = {
  beauty: { icon: "sparkles", light: "#fdf0f3", deep: "#f7cdd8", ink: "#9d2b4c" },
  food: { icon: "apple", light: "#fff5e8", deep: "#fbd9a9", ink: "#8a4b08" },
  baby: { icon: "baby", light: "#eef7fd", deep: "#c6e4f7", ink: "#1d5c84" },
  home: { icon: "sofa", light: "#f1f7ee", deep: "#cfe5c6", ink: "#2f6526" },
  digital: { icon: "smartphone", light: "#eff1fd", deep: "#cdd3f6", ink: "#343f99" },
  apparel: { icon: "shirt", light: "#f6effd", deep: "#dccbf3", ink: "#5b2f91" },
  sports: { icon: "dumbbell", light: "#ecf9f5", deep: "#bfe9dc", ink: "#19654f" },
  health: { icon: "heartPulse", light: "#fff9e6", deep: "#f5e2a4", ink: "#735a05" },
  care: { icon: "droplets", light: "#edf6fd", deep: "#c3def4", ink: "#1f5a86" },
};
const OTHER = { icon: "package" as IconName, light: "#f3f4f6", deep: "#d7dbe2", ink: "#374151" };

/** A category's art: its icon and colours (light and deeper background, ink); a neutral one for others. */
export function categoryArt(slug: string): { icon: IconName; light: string; deep: string; ink: string } {
  return CATEGORY_ART[slug] ?? OTHER;
}

/** The fonts the art's name is set in: CJK-capable first (Noto on Linux, PingFang on Apple, YaHei on Windows). */
export const ART_FONTS =
  "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Hiragino Sans GB','Microsoft YaHei',system-ui,sans-serif";

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

/** The width of a character in em: full width for CJK and other wide scripts, about half for Latin. */
function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (
    cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000)
  ) return 1;
  return /[A-Z0-9]/.test(ch) ? 0.62 : 0.52;
}

/** Splits a name into at most `maxLines` lines of at most `maxEm` em, the last one cut with "…". */
export function wrapName(text: string, maxEm: number, maxLines: number): string[] {
  return wrapByWidth(text, maxEm, maxLines, charWidth);
}

/**
 * Splits text into at most `maxLines` lines of at most `maxEm` em as `widthOf` estimates each character,
 * the last line cut with "…" when text is left over (product art and share posters, each with its font's widths).
 */
export function wrapByWidth(
  text: string,
  maxEm: number,
  maxLines: number,
  widthOf: (ch: string) => number,
): string[] {
  const lines: string[] = [];
  let line = "", width = 0;
  const chars = [...text.replace(/\s+/g, " ").trim()];
  for (let i = 0; i < chars.length; i++) {
    const w = widthOf(chars[i]);
    if (width + w > maxEm && line) {
      if (lines.length === maxLines - 1) {
        const cut = [...line];
        while (cut.length && width + 1 > maxEm) width -= widthOf(cut.pop()!);
        lines.push(`${cut.join("").trimEnd()}…`);
        return lines;
      }
      lines.push(line.trimEnd());
      line = "";
      width = 0;
      if (chars[i] === " ") continue;
    }
    line += chars[i];
    width += w;
  }
  if (line) lines.push(line);
  return lines;
}

/** The version of a product's generated art: changes with the drawing, the name and the category. */
export function artVersion(p: Pick<ProductRow, "name" | "category_slug">): string {
  return `a${ART_VERSION}${hash(`${p.name}\u0000${p.category_slug}`).toString(36)}`;
}

/** The `?v=` of a product's picture: its upload time for an uploaded one, else its art's version. */
export function imageVersion(
  p: Pick<ProductRow, "name" | "category_slug"> & { image_at?: Date | string | null },
): string {
  return p.image_at ? `u${new Date(p.image_at).getTime().toString(36)}` : artVersion(p);
}

/** The URL of a product's picture (`w` for a WebP thumbnail of an uploaded one). */
export function productImageUrl(id: string | number, version?: string, w?: ThumbWidth): string {
  const query = new URLSearchParams();
  if (w) query.set("w", String(w));
  if (version) query.set("v", version);
  const qs = query.toString();
  return `/images/products/${id}.svg${qs ? `?${qs}` : ""}`;
}

/** The version in a picture URL made by `productImageUrl` ("" when it has none). */
export function versionOf(url: string): string {
  return /[?&]v=([\w-]+)/.exec(url)?.[1] ?? "";
}

/** Whether a version stands for an uploaded picture (which has WebP thumbnails). */
export function isUploadedVersion(version: string): boolean {
  return version.startsWith("u");
}

/**
 * A generated product picture (SVG, 320×320): the category's icon on a soft background of the
 * category's colours, and the product's name (Chinese by default) in a CJK-capable font.
 * `name: false` leaves the name out (posters print it themselves).
 */
export function productSvg(
  p: Pick<ProductRow, "id" | "name" | "name_en" | "category_slug">,
  options: { name?: boolean } = {},
): string {
  const art = CATEGORY_ART[p.category_slug] ?? OTHER;
  const h = hash(`${p.id}-${p.name}`);
  const withName = options.name ?? true;
  const lines = withName ? wrapName(p.name || p.name_en || "", 11, 2).map(escapeHtml) : [];
  const iconY = withName ? (lines.length > 1 ? 44 : 56) : 84;
  const cx = 40 + (h % 240), cy = 30 + ((h >> 8) % 80);
  const text = lines.map((l, i) =>
    `<text x="160" y="${(lines.length > 1 ? 238 : 252) + i * 34}" text-anchor="middle" font-family="${ART_FONTS}"` +
    ` font-size="25" font-weight="600" fill="${art.ink}">${l}</text>`
  ).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 320" width="320" height="320" role="img">` +
    `<title>${escapeHtml(p.name || p.name_en || "")}</title>` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${art.light}"/>` +
    `<stop offset="1" stop-color="${art.deep}"/></linearGradient></defs>` +
    `<rect width="320" height="320" fill="url(#g)"/>` +
    `<circle cx="${cx}" cy="${cy}" r="${90 + ((h >> 16) % 40)}" fill="#fff" opacity=".28"/>` +
    `<circle cx="160" cy="${iconY + 76}" r="76" fill="#fff" opacity=".82"/>` +
    `<g transform="translate(112 ${iconY + 28}) scale(4)" fill="none" stroke="${art.ink}" stroke-width="1.5"` +
    ` stroke-linecap="round" stroke-linejoin="round">${iconBody(art.icon)}</g>` +
    text +
    `</svg>`;
}
