import type { Db } from "../db/db.ts";
import { memberName } from "./members.ts";
import type { StatementRow } from "./settlement.ts";
import { PAGE, svgPage, svgPagesToPdf, svgText } from "../lib/pdf.ts";

const LINES_PER_PAGE = 36;
const TITLE = "分享商城 · 佣金结算单 Commission statement";

function pageParts(s: StatementRow, member: string, lines: StatementRow["lines"], first: boolean): string[] {
  const parts: string[] = [
    svgText(80, 200, `${member} · #${s.id}`, 30, 700),
    svgText(
      80,
      245,
      `${new Date(s.starts_at).toISOString().slice(0, 10)} – ${new Date(s.ends_at).toISOString().slice(0, 10)}`,
      26,
    ),
  ];
  if (first) {
    const rows: [string, string][] = [
      ["期初余额 Opening", `¥${s.opening}`],
      ["佣金入账 Credits", `¥${s.credits}`],
      ["退款扣回 Reversals", `−¥${s.reversals}`],
      ["提现 Withdrawals", `−¥${s.withdrawals}`],
      ["代扣个税 Tax withheld", `¥${s.tax}`],
      ["期末余额 Closing", `¥${s.closing}`],
    ];
    rows.forEach(([label, value], i) => {
      const y = 320 + i * 48;
      const weight = i === rows.length - 1 ? 700 : 400;
      parts.push(svgText(80, y, label, 26, weight), svgText(PAGE.width - 80, y, value, 26, weight, "end"));
    });
  }
  const top = first ? 660 : 320;
  parts.push(
    svgText(80, top, "时间 At", 22, 700),
    svgText(420, top, "类型 Kind", 22, 700),
    svgText(640, top, "关联 Reference", 22, 700),
    svgText(PAGE.width - 80, top, "金额 Amount", 22, 700, "end"),
  );
  lines.forEach((l, i) => {
    const y = top + 40 + i * 34;
    parts.push(
      svgText(80, y, l.at.slice(0, 16).replace("T", " "), 20),
      svgText(420, y, l.kind, 20),
      svgText(640, y, l.ref, 20),
      svgText(PAGE.width - 80, y, `¥${l.amount}${l.tax ? ` (tax ¥${l.tax})` : ""}`, 20, 400, "end"),
    );
  });
  return parts;
}

/** A statement as a PDF: a summary, then every line, over as many A4 pages as it needs. */
export async function statementPdf(s: StatementRow, member: string): Promise<Uint8Array> {
  const firstPage = LINES_PER_PAGE - 10;
  const chunks: StatementRow["lines"][] = [s.lines.slice(0, firstPage)];
  for (let i = firstPage; i < s.lines.length; i += LINES_PER_PAGE) chunks.push(s.lines.slice(i, i + LINES_PER_PAGE));
  const pages = chunks.map((lines, i) => svgPage(TITLE, pageParts(s, member, lines, i === 0), i, chunks.length));
  return await svgPagesToPdf(`Statement ${s.id}`, pages);
}

/** A statement as a PDF with its member's name (the one look-up every statement download shares). */
export async function memberStatementPdf(db: Db, statement: StatementRow): Promise<Uint8Array> {
  return await statementPdf(statement, await memberName(db, statement.user_id));
}
