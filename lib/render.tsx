import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Ctx } from "./app_env.ts";
import { escapeJsonForScript, IslandCollector, IslandContext } from "./island.tsx";
import { islandScripts } from "./islands_build.ts";
import { Layout } from "../components/Layout.tsx";
import { translateMessage } from "../i18n/messages.ts";

/** Options for one rendered page. */
export interface PageOptions {
  title: string;
  status?: number;
  narrow?: boolean;
}

/**
 * A page without its frame: the `<main>` content and the island scripts it needs. The shop's page cache
 * keeps fragments and frames them per request (the frame shows who is signed in).
 */
export interface PageFragment {
  title: string;
  status: number;
  narrow?: boolean;
  /** The rendered content of `<main>`. */
  main: string;
  /** The island props and scripts that go at the end of `<body>` ("" without islands). */
  tail: string;
  /** The document frame: the shop's (default) or the back office's (set by a folder layout). */
  frame?: "shop" | "console";
}

/** Stands for the page content while the frame is rendered (no character of it is escaped). */
const MAIN_SLOT = "__PAGE_MAIN_7d1f3c__";

/**
 * Renders a page's content inside the layout. Islands used during the render are collected for
 * this request only; a page without islands ships no JavaScript at all. The fragment is kept on the
 * context (`pageFragment`) for the page cache.
 */
export function renderPage(c: Ctx, body: VNode, options: PageOptions): Response {
  const collector = new IslandCollector();
  const layouts = c.get("layouts") ?? [];
  const frameProps = {
    t: c.get("t"),
    locale: c.get("locale"),
    user: c.get("user"),
    path: c.req.path,
    title: options.title,
  };
  const framed = layouts.reduceRight<VNode>(
    (inner, l) => h(l.component, { ...frameProps, children: inner }) as VNode,
    body,
  );
  const main = renderToString(<IslandContext.Provider value={collector}>{framed}</IslandContext.Provider>);
  const tail = collector.islands.length
    ? `<script id="__islands" type="application/json">${escapeJsonForScript(collector.islands)}</script>` +
      islandScripts(c.get("deps").islands, collector.islands.map((i) => i.name))
    : "";
  const fragment: PageFragment = {
    title: options.title,
    status: options.status ?? 200,
    narrow: options.narrow,
    main,
    tail,
    frame: layouts.findLast((l) => l.config.frame)?.config.frame,
  };
  c.set("pageFragment", fragment);
  return c.html(renderFramed(c, fragment), fragment.status as 200);
}

/** The whole HTML document of a fragment, framed by the layout for this request's visitor. */
export function renderFramed(c: Ctx, fragment: PageFragment): string {
  const t = c.get("t");
  const frame = renderToString(
    <Layout
      title={fragment.title}
      t={t}
      locale={c.get("locale")}
      user={c.get("user")}
      csrf={c.get("csrf")}
      path={c.req.path}
      narrow={fragment.narrow}
      frame={fragment.frame}
    >
      {MAIN_SLOT}
    </Layout>,
  );
  const at = frame.indexOf(MAIN_SLOT);
  const assets = c.get("deps").assets;
  return `<!DOCTYPE html><html lang="${c.get("locale")}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(fragment.title)} · ${escapeHtml(t("app.name"))}</title>` +
    `<link rel="stylesheet" href="${assets.url("app.css")}">` +
    `<link rel="icon" href="${assets.url("favicon.svg")}" type="image/svg+xml">` +
    `</head><body${fragment.frame === "console" ? ' class="console-body"' : ""}>${frame.slice(0, at)}${fragment.main}${
      frame.slice(at + MAIN_SLOT.length)
    }${fragment.tail}` +
    `</body></html>`;
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
