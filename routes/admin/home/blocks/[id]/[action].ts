import type { Handlers, RouteConfig } from "../../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { itemAction } from "../../_list.tsx";

/** The action is `up`, `down`, `enable`, `disable` or `delete`. */
export const config: RouteConfig = { params: { action: "up|down|enable|disable|delete" } };

/** `POST /admin/home/blocks/:id/{up|down|enable|disable|delete}` (audited), then back to the list. */
export const handler: Handlers = {
  POST: [requirePermission("home.write"), (c) => itemAction(c, "blocks")],
};
