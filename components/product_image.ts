import type { ProductRow } from "../db/products_repo.ts";
import { escapeHtml } from "../lib/render.tsx";

const PALETTES: Record<string, [string, string]> = {
  beauty: ["#ffd6e0", "#f4978e"],
  food: ["#fde2b3", "#f6a04d"],
  baby: ["#d7f0ff", "#7cc6f2"],
  home: ["#e3f2d9", "#8cc084"],
  digital: ["#dfe3ff", "#7f8cf0"],
  apparel: ["#f1e0ff", "#b388eb"],
  sports: ["#d9f7f0", "#45c4a6"],
  health: ["#fff3c4", "#e9b949"],
  care: ["#e0f4ff", "#5aa9e6"],
};

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

/** A generated product picture (SVG): a category palette, soft shapes and the product's initials. */
export function productSvg(p: Pick<ProductRow, "id" | "name_en" | "category_slug">): string {
  const [light, dark] = PALETTES[p.category_slug] ?? ["#eceff4", "#94a3b8"];
  const h = hash(`${p.id}-${p.name_en}`);
  const cx = 90 + (h % 140);
  const cy = 80 + ((h >> 8) % 120);
  const r = 50 + ((h >> 16) % 50);
  const initials = escapeHtml(
    (p.name_en || "Item").split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join(""),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 320" width="320" height="320" role="img">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${light}"/>` +
    `<stop offset="1" stop-color="${dark}"/></linearGradient></defs>` +
    `<rect width="320" height="320" fill="url(#g)"/>` +
    `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#fff" opacity=".35"/>` +
    `<rect x="${70 + (h % 40)}" y="${
      150 + ((h >> 4) % 40)
    }" width="180" height="110" rx="24" fill="#fff" opacity=".55"/>` +
    `<text x="160" y="228" text-anchor="middle" font-family="system-ui,sans-serif" font-size="64" font-weight="700" fill="${dark}">${initials}</text>` +
    `</svg>`;
}
