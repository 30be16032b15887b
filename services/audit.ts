/** The audit log as the console reads it, and the audit entries of downloads. */
import type { Db } from "../db/db.ts";
import { appendAudit, AUDIT_SORTS, auditActions, listAudit } from "../db/audit_repo.ts";

/** The columns the audit log sorts by. */
export { AUDIT_SORTS };

/** Audit entries, newest first, filtered by actor, action, target and day. */
export const auditEntries: typeof listAudit = listAudit;

/** Every action name the log holds (for the search's choices). */
export const auditActionNames: typeof auditActions = auditActions;

/** Records that a staff member downloaded data (`data.export`): what, from where, and what it held. */
export async function auditExport(
  db: Db,
  entry: { actorId: string; target: string; ip: string; after: Record<string, unknown> },
): Promise<void> {
  await appendAudit(db, {
    actorId: entry.actorId,
    action: "data.export",
    target: entry.target,
    ip: entry.ip,
    after: entry.after,
  });
}
