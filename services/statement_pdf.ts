import { Resvg } from "@resvg/resvg-js";
import { PDFDocument } from "pdf-lib";
import type { StatementRow } from "./settlement.ts";
import { escapeHtml } from "../lib/render.tsx";

const WIDTH = 1240; // A4 at 150 dpi
const HEIGHT = 1754;
const LINES_PER_PAGE = 36;
const FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif";

function text(x: number, y: number, value: string, size = 26, weight = 400, anchor = "start"): string {
  return `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" font-weight="${weight}" text-anchor="${anchor}" fill="#1f2329">${
    escapeHtml(value)
  }</text>`;
}

function pageSvg(s: StatementRow, member: string, lines: StatementRow["lines"], page: number, pages: number): string {
  const parts: string[] = [
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<rect width="${WIDTH}" height="140" fill="#d63133"/>`,
    text(80, 90, "分享商城 · 佣金结算单 Commission statement", 40, 700).replace('fill="#1f2329"', 'fill="#fff"'),
    text(80, 200, `${member} · #${s.id}`, 30, 700),
    text(
      80,
      245,
      `${new Date(s.starts_at).toISOString().slice(0, 10)} – ${new Date(s.ends_at).toISOString().slice(0, 10)}`,
      26,
    ),
  ];
  if (page === 0) {
    const rows: [string, string][] = [
      ["期初余额 Opening", s.opening],
      ["佣金入账 Credits", s.credits],
      ["退款扣回 Reversals", `−${s.reversals}`],
      ["提现 Withdrawals", `−${s.withdrawals}`],
      ["代扣个税 Tax withheld", s.tax],
      ["期末余额 Closing", s.closing],
    ];
    rows.forEach(([label, value], i) => {
      const y = 320 + i * 48;
      const shown = value.startsWith("−") ? `−¥${value.slice(1)}` : `¥${value}`;
      parts.push(
        text(80, y, label, 26, i === rows.length - 1 ? 700 : 400),
        text(WIDTH - 80, y, shown, 26, i === rows.length - 1 ? 700 : 400, "end"),
      );
    });
  }
  const top = page === 0 ? 660 : 320;
  parts.push(
    text(80, top, "时间 At", 22, 700),
    text(420, top, "类型 Kind", 22, 700),
    text(640, top, "关联 Reference", 22, 700),
    text(WIDTH - 80, top, "金额 Amount", 22, 700, "end"),
  );
  lines.forEach((l, i) => {
    const y = top + 40 + i * 34;
    parts.push(
      text(80, y, l.at.slice(0, 16).replace("T", " "), 20),
      text(420, y, l.kind, 20),
      text(640, y, l.ref, 20),
      text(WIDTH - 80, y, `¥${l.amount}${l.tax ? ` (tax ¥${l.tax})` : ""}`, 20, 400, "end"),
    );
  });
  parts.push(text(WIDTH / 2, HEIGHT - 60, `${page + 1} / ${pages}`, 20, 400, "middle"));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${
    parts.join("")
  }</svg>`;
}

/**
 * A statement as a PDF: each A4 page is drawn as SVG (so Chinese renders with the system's CJK
 * fonts), rasterised with resvg and placed in the PDF with pdf-lib.
 */
export async function statementPdf(s: StatementRow, member: string): Promise<Uint8Array> {
  const firstPage = LINES_PER_PAGE - 10;
  const chunks: StatementRow["lines"][] = [s.lines.slice(0, firstPage)];
  for (let i = firstPage; i < s.lines.length; i += LINES_PER_PAGE) chunks.push(s.lines.slice(i, i + LINES_PER_PAGE));
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Statement ${s.id}`);
  pdf.setProducer("ShareMall");
  for (const [i, lines] of chunks.entries()) {
    const png = new Resvg(pageSvg(s, member, lines, i, chunks.length), {
      font: { loadSystemFonts: true, defaultFontFamily: "Noto Sans CJK SC" },
    }).render().asPng();
    const image = await pdf.embedPng(png);
    const page = pdf.addPage([595.28, 841.89]);
    page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return await pdf.save();
}
