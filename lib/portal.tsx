import type { VNode } from "preact";
import type { Ctx } from "./app_env.ts";
import { renderPage } from "./render.tsx";
import { PortalNav } from "../components/PortalNav.tsx";

/** Renders a distributor portal page: the portal's section navigation above the body. */
export function renderPortal(c: Ctx, body: VNode, title: string, status = 200): Response {
  return renderPage(
    c,
    <div class="portal">
      <PortalNav path={c.req.path} t={c.get("t")} />
      {body}
    </div>,
    { title, status },
  );
}
