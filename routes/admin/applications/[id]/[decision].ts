import type { Handlers, RouteConfig } from "../../../../lib/fs_router.ts";
import { checkCsrf, clientIp, readForm } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { fail } from "../../../../lib/errors.ts";
import { msg } from "../../../../i18n/messages.ts";
import { decideApplication } from "../../../../services/programme.ts";

/** The decision is `approve` or `reject`. */
export const config: RouteConfig = { params: { decision: "approve|reject" } };

/** `POST /admin/applications/:id/approve` or `/reject` (with a reason): a distributor application decided. */
export const handler: Handlers = {
  POST: [requirePermission("applications.decide"), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    const approve = c.req.param("decision")! === "approve";
    if (!approve && !form.reason?.trim()) {
      throw fail.invalid("validation.giveReason", {}, { reason: msg("validation.required") });
    }
    await decideApplication(
      c.get("deps").db,
      c.get("user")!,
      c.req.param("id")!,
      approve,
      (form.reason ?? "").trim().slice(0, 500),
      clientIp(c),
    );
    return c.redirect("/admin/distributors", 303);
  }],
};
