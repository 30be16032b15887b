import type { Handlers } from "../../lib/fs_router.ts";
import { clientIp } from "../../lib/http.ts";
import { requirePermission } from "../../lib/guards.ts";
import { tablesPdf } from "../../lib/pdf.ts";
import { analyticsSnapshot } from "../../services/analytics.ts";
import { auditExport } from "../../services/audit.ts";
import { analyticsTable } from "../../components/analytics_tables.ts";
import { analyticsFilter } from "./_analytics.ts";

/** `/admin/analytics.pdf`: the analytics page as a PDF (audited). */
export const handler: Handlers = {
  GET: [requirePermission("analytics.read"), async (c) => {
    const t = c.get("t");
    const db = c.get("deps").db;
    const { f, filter } = analyticsFilter(c);
    const a = await analyticsSnapshot(db, new Date(), filter);
    await auditExport(db, {
      actorId: String(c.get("user")!.id),
      target: "analytics:pdf",
      ip: clientIp(c),
      after: { format: "pdf", filter: f },
    });
    const pct = (r: string) => `${(Number(r) * 100).toFixed(1)}%`;
    const pdf = await tablesPdf(
      `${t("app.name")} · ${t("an.title")}`,
      new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
      [
        {
          heading: t("an.title"),
          rows: [
            [t("an.gmv"), `¥${a.gmv}`],
            [t("an.orders"), String(a.orders)],
            [
              t("an.yesterday"),
              `¥${a.gmvYesterday} / ${a.ordersYesterday} / ¥${a.yesterday.averageOrder} / ${
                pct(a.yesterday.conversion)
              }`,
            ],
            [t("an.aov"), `¥${a.averageOrder}`],
            [t("an.conversion"), pct(a.conversion)],
            [t("an.commissionShare"), pct(a.commissionShare)],
            [t("an.repurchase"), pct(a.repurchaseRate)],
            [t("an.ltv"), `¥${a.lifetimeValue}`],
            [t("an.slow"), pct(a.slowShare)],
            [t("an.visitors"), String(a.visitors)],
            [t("an.newMembers"), String(a.newMembers)],
            [t("an.newDistributors"), String(a.newDistributors)],
          ],
        },
        ...([
          ["top-products", "an.topProducts"],
          ["commission-by-tier", "an.byTier"],
          ["top-distributors", "an.topDistributors"],
        ] as const).map(([table, heading]) => ({
          heading: t(heading),
          rows: analyticsTable(a, table, t).map((row) => table === "top-products" ? row.slice(1) : row),
        })),
      ],
    );
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": 'attachment; filename="analytics.pdf"',
    });
  }],
};
