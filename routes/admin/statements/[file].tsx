import type { Handlers, RouteConfig } from "../../../lib/fs_router.ts";
import { clientIp } from "../../../lib/http.ts";
import { renderPage } from "../../../lib/render.tsx";
import { requirePermission } from "../../../lib/guards.ts";
import { fail } from "../../../lib/errors.ts";
import { checkStatement } from "../../../domain/ledger/statement_check.ts";
import { statementCsv, statementForStaff } from "../../../services/settlement.ts";
import { memberStatementPdf } from "../../../services/statement_pdf.ts";
import { memberName } from "../../../services/members.ts";
import { auditExport } from "../../../services/audit.ts";
import { StatementDetail } from "../../../components/SettlementReview.tsx";

/** `12` is the page, `12.csv` and `12.pdf` the downloads. */
export const config: RouteConfig = { params: { file: "\\d+(?:\\.(?:csv|pdf))?" } };

/** `/admin/statements/:id` with its lines re-added; `:id.csv` and `:id.pdf` as files (audited). */
export const handler: Handlers = {
  GET: [requirePermission("settlements.close"), async (c) => {
    const user = c.get("user")!;
    const [id, ext] = c.req.param("file")!.split(".");
    const db = c.get("deps").db;
    const statement = await statementForStaff(db, id, user);
    if (!ext) {
      const t = c.get("t");
      const props = { t, user, s: statement, member: await memberName(db, statement.user_id) };
      return renderPage(c, <StatementDetail {...props} check={checkStatement(statement)} />, {
        title: t("stmt.title", { id: String(statement.id) }),
      });
    }
    const after = { member: String(statement.user_id), format: ext };
    await auditExport(db, { actorId: String(user.id), target: `statement:${id}`, ip: clientIp(c), after });
    if (ext === "csv") {
      return c.body(statementCsv(statement), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="statement-${id}.csv"`,
      });
    }
    if (ext !== "pdf") throw fail.notFound("format");
    const pdf = await memberStatementPdf(db, statement);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="statement-${id}.pdf"`,
    });
  }],
};

export default StatementDetail;
