import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { BlockForm } from "../../../../components/HomeArrangeForms.tsx";
import { blockPage, saveBlock } from "../_block.tsx";

/** `/admin/home/blocks/new`: the form of a new featured block, and creating it. */
export const handler: Handlers = {
  GET: [requirePermission("home.write"), (c) => blockPage(c, null)],
  POST: [requirePermission("home.write"), (c) => saveBlock(c, null)],
};

export default BlockForm;
