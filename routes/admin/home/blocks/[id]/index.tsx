import type { Handlers } from "../../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { BlockForm } from "../../../../../components/HomeArrangeForms.tsx";
import { blockPage, saveBlock } from "../../_block.tsx";

/** `/admin/home/blocks/:id`: a featured block's form, and saving it (audited). */
export const handler: Handlers = {
  GET: [requirePermission("home.write"), (c) => blockPage(c, c.req.param("id")!)],
  POST: [requirePermission("home.write"), (c) => saveBlock(c, c.req.param("id")!)],
};

export default BlockForm;
