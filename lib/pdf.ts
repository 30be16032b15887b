import { Resvg } from "@resvg/resvg-js";
import { PDFDocument } from "pdf-lib";
import { escapeHtml } from "./render.tsx";
import { cleanText } from "../domain/text.ts";

/** A4 at 150 dpi, in pixels. */
export const PAGE = { width: 1240, height: 1754 };
const FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif";

/** An SVG text element (escaped) for PDF pages. */
export function svgText(
  x: number,
  y: number,
  value: string,
  size = 26,
  weight = 400,
  anchor = "start",
  fill = "#1f2329",
): string {
  return `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" font-weight="${weight}" text-anchor="${anchor}" fill="${fill}">${
    escapeHtml(cleanText(String(value)))
  }</text>`;
}

/** Wraps SVG parts into one A4 page with the shop's red header band. */
export function svgPage(title: string, parts: string[], page: number, pages: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width}" height="${PAGE.height}" viewBox="0 0 ${PAGE.width} ${PAGE.height}">` +
    `<rect width="${PAGE.width}" height="${PAGE.height}" fill="#fff"/><rect width="${PAGE.width}" height="140" fill="#d63133"/>` +
    svgText(80, 90, title, 40, 700, "start", "#fff") + parts.join("") +
    svgText(PAGE.width / 2, PAGE.height - 60, `${page + 1} / ${pages}`, 20, 400, "middle") + `</svg>`;
}

/**
 * Turns SVG pages into a PDF: each page is rasterised with resvg (so Chinese renders with the
 * system's CJK fonts) and placed on an A4 page with pdf-lib.
 */
export async function svgPagesToPdf(title: string, pages: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer("ShareMall");
  for (const svg of pages) {
    const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: "Noto Sans CJK SC" } }).render()
      .asPng();
    const image = await pdf.embedPng(png);
    const page = pdf.addPage([595.28, 841.89]);
    page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return await pdf.save();
}

/** A titled report of tables as a PDF, paginated. */
export async function tablesPdf(
  title: string,
  subtitle: string,
  tables: { heading: string; rows: string[][] }[],
): Promise<Uint8Array> {
  const pages: string[][] = [[]];
  let y = 210;
  const push = (part: string) => pages[pages.length - 1].push(part);
  push(svgText(80, y, subtitle, 26));
  y += 70;
  for (const table of tables) {
    if (y > PAGE.height - 220) {
      pages.push([]);
      y = 210;
    }
    push(svgText(80, y, table.heading, 30, 700));
    y += 48;
    const cols = Math.max(...table.rows.map((r) => r.length), 1);
    const width = (PAGE.width - 160) / cols;
    for (const [i, row] of table.rows.entries()) {
      if (y > PAGE.height - 120) {
        pages.push([]);
        y = 210;
      }
      row.forEach((cell, c) =>
        push(
          svgText(
            c === cols - 1 && cols > 1 ? PAGE.width - 80 : 80 + c * width,
            y,
            cell.slice(0, 60),
            22,
            i === 0 ? 700 : 400,
            c === cols - 1 && cols > 1 ? "end" : "start",
          ),
        )
      );
      y += 36;
    }
    y += 40;
  }
  return await svgPagesToPdf(title, pages.map((parts, i) => svgPage(title, parts, i, pages.length)));
}
