import { z } from "zod";
import type { Handlers } from "../../lib/fs_router.ts";
import { renderPage } from "../../lib/render.tsx";
import { myOrderCards, ORDER_TABS, type OrderTab } from "../../services/order_lists.ts";
import { MyOrderList } from "../../components/MyOrderList.tsx";

const TAB_KEYS = Object.keys(ORDER_TABS) as OrderTab[];
const PAGE_SIZE = 20;
const pageQuery = z.object({
  tab: z.enum(TAB_KEYS as [OrderTab, ...OrderTab[]]).catch("all").default("all"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

/** `/orders?tab=&page=`: the member's orders, newest first, in status tabs, with thumbnails and dates. */
export const handler: Handlers = {
  async GET(c) {
    const t = c.get("t");
    const { tab, page } = pageQuery.parse(c.req.query());
    const { total, cards } = await myOrderCards(c.get("deps").db, String(c.get("user")!.id), tab, page, PAGE_SIZE);
    const props = { t, csrf: c.get("csrf"), tabs: TAB_KEYS, tab, cards, total, page, pageSize: PAGE_SIZE };
    return renderPage(c, <MyOrderList {...props} />, { title: t("orders.title") });
  },
};

export default MyOrderList;
