import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { fail } from "../../../../lib/errors.ts";
import { formAction } from "../../../../lib/form_action.ts";
import { eraseMember } from "../../../../services/member_data.ts";
import { distributorPage } from "../../distributors/_page.tsx";

/** `POST /admin/users/:id/erase` (the form on the distributor page; `confirm=yes` required). */
export const handler: Handlers = {
  POST: [requirePermission("members.erase"), (c) => {
    const id = c.req.param("id")!;
    if (!/^\d{1,18}$/.test(id)) throw fail.notFound("Member");
    return formAction(c, {
      back: `/admin/distributors/${id}`,
      page: (message, status) => distributorPage(c, id, message, status),
      run: (form) => {
        if (form.confirm !== "yes") {
          throw fail.invalid("Tick the box to confirm", { confirm: "Tick the box to confirm" });
        }
        return eraseMember(c.get("deps").db, c.get("user")!, id, clientIp(c), c.get("deps").sessionSockets);
      },
    });
  }],
};
