import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireUser } from "../../../../lib/http.ts";
import { fail } from "../../../../lib/errors.ts";
import { statementCsv, statementFor, statementView } from "../../../../services/settlement.ts";
import { memberStatementPdf } from "../../../../services/statement_pdf.ts";

/** `GET /api/me/statements/:id` as JSON, `:id.csv` and `:id.pdf` as files. */
export const handler: Handlers = {
  async GET(c) {
    const [id, ext] = c.req.param("file")!.split(".");
    const statement = await statementFor(c.get("deps").db, id, requireUser(c));
    if (ext === "csv") {
      return c.body(statementCsv(statement), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="statement-${statement.id}.csv"`,
      });
    }
    if (ext === "pdf") {
      const pdf = await memberStatementPdf(c.get("deps").db, statement);
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="statement-${statement.id}.pdf"`,
      });
    }
    if (ext !== undefined) throw fail.notFound("format");
    return c.json({ statement: statementView(statement) });
  },
};
