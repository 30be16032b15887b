/**
 * The distributor's promotion tools: referral links, QR codes, link statistics and product
 * posters (an SVG rasterised to PNG with resvg, using the CJK fonts installed on the host).
 */
import QRCode from "qrcode";
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import type { Db } from "../db/db.ts";
import { listProducts, type ProductRow } from "../db/products_repo.ts";
import { findProduct } from "../db/products_repo.ts";
import { encodeHex } from "../lib/hex.ts";
import { productSvg, wrapByWidth } from "../components/product_image.ts";
import { appConfig } from "../fresh.config.ts";

/** A member's referral links. */
export interface PromoteLinks {
  /** Registration page with the code filled in: new members join under the owner. */
  register: string;
  /** The shop's home page; orders placed after it are attributed to the owner. */
  home: string;
}

/** The referral links of the member with `code`, on this site's `origin`. */
export function promoteLinks(origin: string, code: string): PromoteLinks {
  const ref = encodeURIComponent(code);
  return { register: `${origin}/register?ref=${ref}`, home: `${origin}/?ref=${ref}` };
}

/** The referral link to one product. */
export function productLink(origin: string, productId: string, code: string): string {
  return `${origin}/products/${encodeURIComponent(productId)}?ref=${encodeURIComponent(code)}`;
}

/**
 * A QR code of `text` as an SVG document (black modules on white, a quiet zone of `margin`
 * modules). The SVG is produced by the `qrcode` package and contains no text of the caller.
 */
export async function qrSvg(text: string, margin = 2): Promise<string> {
  return await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin });
}

/** Link figures: totals. Conversion is computed from these by the page (orders ÷ clicks). */
export interface LinkTotals {
  /** Visits through the member's links (`referral_visits`). */
  clicks: number;
  /** Members who joined with the member's code (direct downline). */
  registrations: number;
  /** Paid orders (not fully refunded) attributed to the member's link. */
  orders: number;
}

/** Link figures of one product. */
export interface ProductLinkStats {
  productId: string;
  name: string;
  clicks: number;
  orders: number;
}

/** A member's link statistics: totals and per product. */
export interface LinkStats {
  totals: LinkTotals;
  products: ProductLinkStats[];
}

/** Orders that count as a conversion: paid at some point and not refunded in full. */
const COUNTED_ORDER = "o.paid_at IS NOT NULL AND o.status <> 'refunded'";
/** At most this many products in the per-product table (most clicked first). */
const PRODUCT_ROWS = 50;

/** The link statistics of one member (only their own: every query is keyed by `memberId`). */
export async function linkStats(db: Db, memberId: string): Promise<LinkStats> {
  const [totals] = await db.query<LinkTotals>(
    `SELECT (SELECT count(*)::int FROM referral_visits WHERE referrer_id = $1) AS clicks,
            (SELECT count(*)::int FROM users WHERE upline_id = $1) AS registrations,
            (SELECT count(*)::int FROM orders o WHERE o.referrer_id = $1 AND ${COUNTED_ORDER}) AS orders`,
    [memberId],
  );
  const rows = await db.query<{ product_id: string; name: string; clicks: number; orders: number }>(
    `WITH c AS (
       SELECT product_id, count(*)::int AS clicks FROM referral_visits
        WHERE referrer_id = $1 AND product_id IS NOT NULL GROUP BY product_id
     ), o AS (
       SELECT i.product_id, count(DISTINCT o.id)::int AS orders FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.referrer_id = $1 AND ${COUNTED_ORDER} GROUP BY i.product_id
     )
     SELECT p.id::text AS product_id, p.name, coalesce(c.clicks, 0) AS clicks, coalesce(o.orders, 0) AS orders
       FROM c FULL JOIN o ON o.product_id = c.product_id
       JOIN products p ON p.id = coalesce(c.product_id, o.product_id)
      ORDER BY coalesce(c.clicks, 0) DESC, coalesce(o.orders, 0) DESC, p.id
      LIMIT ${PRODUCT_ROWS}`,
    [memberId],
  );
  return {
    totals: {
      clicks: Number(totals.clicks),
      registrations: Number(totals.registrations),
      orders: Number(totals.orders),
    },
    products: rows.map((r) => ({
      productId: String(r.product_id),
      name: r.name,
      clicks: Number(r.clicks),
      orders: Number(r.orders),
    })),
  };
}

/** The first page of best sellers on shelf: the products offered for promotion. */
export async function promotableProducts(db: Db): Promise<ProductRow[]> {
  const { items } = await listProducts(db, {
    onSaleOnly: true,
    sort: "popular",
    limit: appConfig.pagination.defaultPageSize,
    offset: 0,
  });
  return items;
}

// ---------- Posters ----------

/** Poster size in pixels (a phone screen at 2x). */
export const POSTER_WIDTH = 750;
export const POSTER_HEIGHT = 1334;

/** What a poster shows; every string is plain text (escaped here). */
export interface PosterInput {
  product: Pick<ProductRow, "id" | "name" | "name_en" | "category_slug">;
  /** Price as a decimal string ("129.00"). */
  price: string;
  /** The list price when `price` is a sale price, shown struck through. */
  oldPrice?: string;
  /** The product link with the member's code; encoded in the QR code. */
  link: string;
  /** "来自 <name> 的推荐", already translated. */
  from: string;
  /** The call to scan, already translated. */
  scan: string;
  /** The shop's name in the header. */
  shopName: string;
}

/** Whether XML 1.0 can carry this code point (no control characters, lone surrogates, U+FFFE/U+FFFF). */
function xmlAllowed(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
    cp >= 0x10000;
}

/** Escapes text for SVG/XML text and attribute values, dropping characters XML cannot carry. */
export function xmlText(text: string): string {
  return [...text].filter((ch) => xmlAllowed(ch.codePointAt(0)!)).join("")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** Approximate advance of a character in em: CJK and other wide characters 1, ASCII about 0.3–0.7. */
function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return /[A-Z@%]/.test(ch) ? 0.68 : /[ il.,:;'|!]/.test(ch) ? 0.3 : 0.56;
  if (cp < 0x1100) return 0.6;
  return 1;
}

/**
 * Splits text into at most `maxLines` lines of at most `maxEm` ems (estimated); the last line
 * ends with "…" when text is left over.
 */
export function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  return wrapByWidth(text, maxEm, maxLines, charWidth);
}

/** Font families tried for poster text, in order; the first installed one draws the text. */
const FONT_CANDIDATES: { file: string; family: string }[] = [
  { file: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", family: "Noto Sans CJK SC" },
  { file: "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", family: "Noto Sans CJK SC" },
  { file: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", family: "WenQuanYi Zen Hei" },
  { file: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", family: "WenQuanYi Micro Hei" },
  { file: "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", family: "Droid Sans Fallback" },
];
const FONT_STACK = [...new Set(FONT_CANDIDATES.map((f) => `'${f.family}'`)), "sans-serif"].join(", ");

let fontOptions: ResvgRenderOptions["font"] | undefined;

/**
 * Font options for resvg: the known CJK font files that exist on this host (Debian's
 * fonts-noto-cjk first). When none is installed, resvg scans the system fonts instead, so the
 * poster still renders (with whatever font there is, or without text if there is none).
 */
export function posterFontOptions(): NonNullable<ResvgRenderOptions["font"]> {
  if (fontOptions) return fontOptions;
  const found = FONT_CANDIDATES.filter((f) => {
    try {
      return Deno.statSync(f.file).isFile;
    } catch {
      return false;
    }
  });
  fontOptions = found.length
    ? {
      loadSystemFonts: false,
      fontFiles: found.map((f) => f.file),
      defaultFontFamily: found[0].family,
      sansSerifFamily: found[0].family,
    }
    : { loadSystemFonts: true };
  return fontOptions;
}

/** The product picture as a nested SVG placed at (x, y) with the given size; its ids are made unique. */
function placedProductSvg(product: PosterInput["product"], x: number, y: number, size: number): string {
  return productSvg(product, { name: false })
    .replace(/^<svg [^>]*>/, `<svg x="${x}" y="${y}" width="${size}" height="${size}" viewBox="0 0 320 320">`)
    .replaceAll('id="g"', 'id="product-bg"')
    .replaceAll("url(#g)", "url(#product-bg)");
}

/** A QR code SVG (from `qrSvg`) placed at (x, y) with the given size. */
function placedQr(svg: string, x: number, y: number, size: number): string {
  return svg.replace(/^(<\?xml[^>]*>\s*)?<svg /, `<svg x="${x}" y="${y}" width="${size}" height="${size}" `);
}

/** The poster as an SVG document (750×1334): header, product picture, name, price, QR code and referrer. */
export async function posterSvg(input: PosterInput): Promise<string> {
  const W = POSTER_WIDTH;
  const font = `font-family="${FONT_STACK}"`;
  const nameLines = wrapText(input.product.name, 16.5, 2);
  const fromLines = wrapText(input.from, 11.5, 2);
  const qr = await qrSvg(input.link, 2);
  const nameY = 825;
  const priceY = nameY + nameLines.length * 50 + 45;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${POSTER_HEIGHT}" viewBox="0 0 ${W} ${POSTER_HEIGHT}">`,
    `<defs><linearGradient id="poster-head" x1="0" y1="0" x2="1" y2="1">`,
    `<stop offset="0" stop-color="#e4393c"/><stop offset="1" stop-color="#f06a3c"/></linearGradient>`,
    `<clipPath id="poster-clip"><rect x="75" y="160" width="600" height="600" rx="24"/></clipPath></defs>`,
    `<rect width="${W}" height="${POSTER_HEIGHT}" fill="#f5f6f8"/>`,
    `<rect width="${W}" height="220" fill="url(#poster-head)"/>`,
    `<text x="${W / 2}" y="92" text-anchor="middle" ${font} font-size="40" font-weight="700" fill="#fff">`,
    `${xmlText(input.shopName)}</text>`,
    `<rect x="30" y="125" width="690" height="1179" rx="32" fill="#fff"/>`,
    `<g clip-path="url(#poster-clip)">${placedProductSvg(input.product, 75, 160, 600)}</g>`,
    ...nameLines.map((line, i) =>
      `<text x="75" y="${nameY + i * 50}" ${font} font-size="38" font-weight="700" fill="#1f2329">${
        xmlText(line)
      }</text>`
    ),
    `<text x="75" y="${priceY}" ${font} font-size="56" font-weight="700" fill="#d63133">`,
    `<tspan font-size="34">¥</tspan>${xmlText(input.price)}`,
    input.oldPrice
      ? `<tspan dx="16" font-size="28" font-weight="400" fill="#8a919f" text-decoration="line-through">¥${
        xmlText(input.oldPrice)
      }</tspan>`
      : "",
    `</text>`,
    `<line x1="75" y1="1010" x2="675" y2="1010" stroke="#e3e6eb" stroke-width="2" stroke-dasharray="10 8"/>`,
    placedQr(qr, 60, 1035, 240),
    ...fromLines.map((line, i) =>
      `<text x="320" y="${1125 + i * 44}" ${font} font-size="32" font-weight="700" fill="#1f2329">${
        xmlText(line)
      }</text>`
    ),
    `<text x="320" y="${1125 + fromLines.length * 44 + 18}" ${font} font-size="24" fill="#8a919f">${
      xmlText(input.scan)
    }</text>`,
    `</svg>`,
  ];
  return parts.join("");
}

/** Rasterised posters by SVG digest: the same poster is drawn once (entries are small PNGs). */
const pngCache = new Map<string, Uint8Array<ArrayBuffer>>();
const PNG_CACHE_SIZE = 64;
/** At most this many rasterisations run at once (each loads the fonts); others wait their turn. */
const MAX_RENDERS = 2;
let rendering = 0;
const waiting: (() => void)[] = [];

async function withRenderSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (rendering >= MAX_RENDERS) await new Promise<void>((resolve) => waiting.push(resolve));
  else rendering++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else rendering--;
  }
}

/**
 * Rasterises an SVG to PNG with resvg (off the main thread), at the SVG's own size. `font`
 * defaults to the host's CJK fonts (`posterFontOptions`).
 */
export async function svgToPng(
  svg: string,
  font: ResvgRenderOptions["font"] = posterFontOptions(),
): Promise<Uint8Array<ArrayBuffer>> {
  const key = encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(svg))));
  const fontKey = JSON.stringify(font);
  const cacheKey = `${key}:${fontKey}`;
  const hit = pngCache.get(cacheKey);
  if (hit) {
    pngCache.delete(cacheKey);
    pngCache.set(cacheKey, hit);
    return hit;
  }
  const png = await withRenderSlot(async () => {
    // Loaded on first use: the native addon is only needed for posters, so the shop starts without it.
    const { renderAsync } = await import("@resvg/resvg-js");
    const image = await renderAsync(svg, { font, background: "#ffffff", fitTo: { mode: "original" } });
    return new Uint8Array(image.asPng());
  });
  pngCache.set(cacheKey, png);
  while (pngCache.size > PNG_CACHE_SIZE) pngCache.delete(pngCache.keys().next().value!);
  return png;
}

/** A product poster as PNG bytes. */
export async function posterPng(
  input: PosterInput,
  font?: ResvgRenderOptions["font"],
): Promise<Uint8Array<ArrayBuffer>> {
  return await svgToPng(await posterSvg(input), font);
}

/** A product a poster may be drawn for, if it exists. */
export function posterProduct(db: Db, id: string): Promise<ProductRow | undefined> {
  return findProduct(db, id);
}
