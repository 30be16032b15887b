import type { Handlers } from "../../../lib/fs_router.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { HomeArrangeAdmin } from "../../../components/HomeArrangeAdmin.tsx";
import { homeAdminPage } from "./_list.tsx";

/** `/admin/home`: 首页装修, the banners and featured blocks of the shop home in order, with their actions. */
export const handler: Handlers = {
  GET: [requirePermission("home.write"), (c) => homeAdminPage(c)],
};

export default HomeArrangeAdmin;
