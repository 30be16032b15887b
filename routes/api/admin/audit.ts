import { z } from "zod";
import { says } from "../../../i18n/messages.ts";
import type { Handlers } from "../../../lib/fs_router.ts";
import { readQuery } from "../../../lib/http.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { auditEntries } from "../../../services/audit.ts";
import { appConfig } from "../../../fresh.config.ts";
import { text } from "../../../lib/text.ts";

const auditQuery = z.object({
  actor: z.string().regex(/^\d{1,18}$/, says("validation.id")).optional(),
  action: text().max(60).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize).default(50),
});

/** `GET /api/admin/audit?actor=&action=`. */
export const handler: Handlers = {
  GET: [requirePermission("audit.read"), async (c) => {
    const q = readQuery(c, auditQuery);
    const result = await auditEntries(c.get("deps").db, {
      actor: q.actor,
      action: q.action,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return c.json(result);
  }],
};
