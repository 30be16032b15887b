import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Ctx } from "./app_env.ts";
import { escapeJsonForScript, IslandCollector, IslandContext } from "./island.tsx";
import { Layout } from "../components/Layout.tsx";
import { translateMessage } from "../i18n/messages.ts";

/** Options for one rendered page. */
export interface PageOptions {
  title: string;
  status?: number;
  narrow?: boolean;
}

/**
 * Renders a full HTML page inside the layout. Islands used during the render are collected for
 * this request only; a page without islands ships no JavaScript at all.
 */
export function renderPage(c: Ctx, body: VNode, options: PageOptions): Response {
  const collector = new IslandCollector();
  const t = c.get("t");
  const html = renderToString(
    <IslandContext.Provider value={collector}>
      <Layout
        title={options.title}
        t={t}
        locale={c.get("locale")}
        user={c.get("user")}
        csrf={c.get("csrf")}
        path={c.req.path}
        narrow={options.narrow}
      >
        {body}
      </Layout>
    </IslandContext.Provider>,
  );
  const assets = c.get("deps").assets;
  const islands = collector.islands.length
    ? `<script id="__islands" type="application/json">${escapeJsonForScript(collector.islands)}</script>` +
      `<script type="module" src="${c.get("deps").islands.url}"></script>`
    : "";
  const doc = `<!DOCTYPE html><html lang="${c.get("locale")}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(options.title)} · ${escapeHtml(t("app.name"))}</title>` +
    `<link rel="stylesheet" href="${assets.url("app.css")}">` +
    `<link rel="icon" href="${assets.url("favicon.svg")}" type="image/svg+xml">` +
    `</head><body>${html}${islands}</body></html>`;
  return c.html(doc, (options.status ?? 200) as 200);
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** Field errors and messages in the visitor's language (known validation messages are translated). */
export function localizeErrors(c: Ctx, errors: Record<string, string>): Record<string, string> {
  const locale = c.get("locale");
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, translateMessage(locale, v)]));
}
