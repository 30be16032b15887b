/**
 * The file-system router: `routes/` is the URL space, as in Fresh.
 *
 * - A file's path is its URL: `routes/index.tsx` is `/`, `routes/products/[id].tsx` is `/products/:id`,
 *   `routes/admin/orders/index.tsx` is `/admin/orders`, `routes/api/me/withdrawals.ts` is `/api/me/withdrawals`.
 * - `[name]` is a parameter, `[...name]` the rest of the path. A file name keeps any inner extension as
 *   part of its URL: `routes/admin/orders.csv.ts` is `/admin/orders.csv`. A parameter that carries its own
 *   suffix (`/admin/statements/12.pdf`) is one parameter (`[file].tsx`), constrained by `config.params`.
 * - A route file exports `handler`: an object from HTTP method to a Hono handler, or to a list of
 *   middleware ending with the handler (`GET: [requirePermission("orders.read"), (c) => ...]`). A page
 *   also default-exports the page component its handlers render. `config` may constrain parameters with a
 *   regular expression (`{ params: { id: "\\d+" } }`) or mark an asset-like route that is served before
 *   sessions are loaded (`{ asset: true }`).
 * - `_middleware.ts` exports `middleware` (one or a list): it runs for every URL in its folder and below,
 *   outer folders first. Other files and folders whose name starts with `_` are not routes: they hold what
 *   the folder's routes share.
 * - `_layout.tsx` default-exports a component that frames every page rendered in its folder and below
 *   (outer folders' layouts outside): it gets the page as `children` with the request's `FrameProps`, and
 *   may export `config = { frame: "console" }` to have the whole document framed as the back office.
 * - Static segments win over parameters, parameters over rest parameters, whatever the file order.
 *
 * `loadRoutes` walks the folder and imports the files when the server starts (no generated manifest);
 * it refuses a tree in which two files claim one URL or a file exports nothing routable.
 */
import type { Hono, MiddlewareHandler } from "hono";
import type { ComponentChildren, ComponentType } from "preact";
import type { AppEnv, Ctx } from "./app_env.ts";
import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import type { UserRow } from "../db/users_repo.ts";

/** The HTTP methods a route file may handle. */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** An HTTP method a route file may handle. */
export type Method = (typeof METHODS)[number];

/** A request handler or middleware of this app. */
export type RouteHandler = (c: Ctx, next: () => Promise<void>) => Response | void | Promise<Response | void>;
/** What a route file exports as `handler`: per method, a handler or middleware ending with the handler. */
export type Handlers = Partial<Record<Method, RouteHandler | readonly RouteHandler[]>>;
/** What a route file may export as `config`. */
export interface RouteConfig {
  /** A regular expression (Hono's `:name{re}`) per parameter; a URL whose parameter does not match is not this route. */
  params?: Record<string, string>;
  /** Served before the Origin check and the session middleware (static-like responses that need neither). */
  asset?: boolean;
}

/** One route file, loaded. */
export interface RouteFile {
  /** The path under `routes/`, with forward slashes (`admin/orders/[id].tsx`). */
  file: string;
  /** The Hono path pattern (`/admin/orders/:id{\d+}`). */
  pattern: string;
  handler: Handlers;
  config: RouteConfig;
  /** The page component, for pages. */
  page?: unknown;
}

/** One `_middleware.ts`, loaded. */
export interface MiddlewareFile {
  file: string;
  /** Its folder under `routes/` (`admin`, or "" for the root). */
  folder: string;
  /** The URL of its folder (`/admin`, or `/` for the root). */
  prefix: string;
  handlers: RouteHandler[];
}

/** What a folder layout gets besides its page (`children`). */
export interface FrameProps {
  t: Translator;
  locale: Locale;
  user: UserRow | undefined;
  /** The request path. */
  path: string;
  /** The page title (for breadcrumbs). */
  title: string;
  children: ComponentChildren;
}

/** What a `_layout.tsx` may export as `config`. */
export interface LayoutConfig {
  /** The document frame around the layout: the shop's (default) or the back office's. */
  frame?: "shop" | "console";
}

/** One `_layout.tsx`, loaded. */
export interface LayoutFile {
  file: string;
  /** Its folder under `routes/` (`admin`, or "" for the root). */
  folder: string;
  /** The URL of its folder (`/admin`, or `/` for the root). */
  prefix: string;
  component: ComponentType<FrameProps>;
  config: LayoutConfig;
}

/** The loaded `routes/` tree. */
export interface RouteTree {
  routes: RouteFile[];
  middleware: MiddlewareFile[];
  /** Folder layouts, outer folders first. */
  layouts?: LayoutFile[];
}

const SOURCE = /\.(tsx|ts)$/;

/** Whether a file under `routes/` is a route file (not a test, not a `_` helper or middleware). */
export function isRouteFile(file: string): boolean {
  const parts = file.split("/");
  return SOURCE.test(file) && !/_test\.tsx?$/.test(file) && parts.every((p) => !p.startsWith("_"));
}

/** Whether a file under `routes/` is a folder middleware. */
export function isMiddlewareFile(file: string): boolean {
  return /(^|\/)_middleware\.tsx?$/.test(file) && file.split("/").slice(0, -1).every((p) => !p.startsWith("_"));
}

/** Whether a file under `routes/` is a folder layout. */
export function isLayoutFile(file: string): boolean {
  return /(^|\/)_layout\.tsx?$/.test(file) && file.split("/").slice(0, -1).every((p) => !p.startsWith("_"));
}

/** The URL segments of a route file (`index` is its folder; `[id]` a parameter; `[...rest]` the rest). */
function segments(file: string): string[] {
  const parts = file.replace(SOURCE, "").split("/");
  if (parts.at(-1) === "index") parts.pop();
  return parts;
}

/** The Hono pattern of a route file, with its parameter constraints. */
export function routePattern(file: string, params: Record<string, string> = {}): string {
  const path = segments(file).map((s) => {
    const rest = /^\[\.\.\.(\w+)\]$/.exec(s);
    if (rest) return `:${rest[1]}{.+}`;
    const param = /^\[(\w+)\]$/.exec(s);
    if (param) return params[param[1]] ? `:${param[1]}{${params[param[1]]}}` : `:${param[1]}`;
    if (/[[\]]/.test(s)) throw new Error(`routes/${file}: "${s}" is not a segment name, [param] or [...rest]`);
    return s;
  });
  return `/${path.join("/")}`;
}

/** The URL shape two files must not share: parameters and their constraints do not tell URLs apart. */
function shape(file: string): string {
  return `/${segments(file).map((s) => s.startsWith("[...") ? "*" : s.startsWith("[") ? ":" : s).join("/")}`;
}

/** 0 for a static segment, 1 for a constrained parameter, 2 for a parameter, 3 for the rest. */
function rank(segment: string): number {
  if (segment.startsWith("[...")) return 3;
  if (segment.startsWith("[")) return 2;
  return 0;
}

/** Orders routes so that a static segment is tried before a parameter at the same depth. */
export function compareRoutes(a: RouteFile, b: RouteFile): number {
  const sa = segments(a.file), sb = segments(b.file);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const ra = rank(sa[i]) - (a.config.params?.[sa[i].slice(1, -1)] ? 1 : 0);
    const rb = rank(sb[i]) - (b.config.params?.[sb[i].slice(1, -1)] ? 1 : 0);
    if (ra !== rb) return ra - rb;
  }
  return sa.length - sb.length || a.file.localeCompare(b.file);
}

/** What is wrong with a tree: two files that claim one URL, files that export nothing routable. */
export function routeProblems(routes: Pick<RouteFile, "file" | "handler">[]): string[] {
  const problems: string[] = [];
  const claimed = new Map<string, string>();
  for (const r of routes) {
    const methods = Object.keys(r.handler ?? {});
    const routable = methods.filter((m) => (METHODS as readonly string[]).includes(m));
    if (routable.length === 0) problems.push(`routes/${r.file} exports no handler for any HTTP method`);
    for (const m of methods) {
      if (!routable.includes(m)) problems.push(`routes/${r.file}: "${m}" is not an HTTP method`);
    }
    const key = shape(r.file);
    const other = claimed.get(key);
    if (other) problems.push(`routes/${other} and routes/${r.file} both claim ${key}`);
    else claimed.set(key, r.file);
  }
  return problems;
}

async function walk(dir: URL, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) files.push(...await walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    else if (entry.isFile) files.push(`${prefix}${entry.name}`);
  }
  return files.sort();
}

const list = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T];

/** Walks `dir` (a `routes/` folder URL ending in `/`), imports its route and middleware files, and checks them. */
export async function loadRoutes(dir: URL): Promise<RouteTree> {
  const routes: RouteFile[] = [];
  const middleware: MiddlewareFile[] = [];
  const layouts: LayoutFile[] = [];
  for (const file of await walk(dir)) {
    if (isLayoutFile(file)) {
      const mod = await import(new URL(file, dir).href) as {
        default?: ComponentType<FrameProps>;
        config?: LayoutConfig;
      };
      if (typeof mod.default !== "function") throw new Error(`routes/${file} exports no default layout component`);
      const folder = file.split("/").slice(0, -1).join("/");
      const prefix = folder ? routePattern(`${folder}/index.ts`) : "/";
      layouts.push({ file, folder, prefix, component: mod.default, config: mod.config ?? {} });
    } else if (isMiddlewareFile(file)) {
      const mod = await import(new URL(file, dir).href) as { middleware?: RouteHandler | RouteHandler[] };
      const handlers = list(mod.middleware);
      if (handlers.length === 0) throw new Error(`routes/${file} exports no middleware`);
      const folder = file.split("/").slice(0, -1).join("/");
      middleware.push({ file, folder, prefix: folder ? routePattern(`${folder}/index.ts`) : "/", handlers });
    } else if (isRouteFile(file)) {
      const mod = await import(new URL(file, dir).href) as {
        handler?: Handlers;
        config?: RouteConfig;
        default?: unknown;
      };
      const config = mod.config ?? {};
      routes.push({
        file,
        pattern: routePattern(file, config.params),
        handler: mod.handler ?? {},
        config,
        page: mod.default,
      });
    }
  }
  const problems = routeProblems(routes);
  if (problems.length) throw new Error(`The routes/ tree is not valid:\n${problems.join("\n")}`);
  routes.sort(compareRoutes);
  const byDepth = (a: { prefix: string; file: string }, b: { prefix: string; file: string }) =>
    a.prefix.split("/").length - b.prefix.split("/").length || a.file.localeCompare(b.file);
  middleware.sort(byDepth);
  layouts.sort(byDepth);
  return { routes, middleware, layouts };
}

/**
 * Registers a loaded tree on the app: with `{ asset: true }` only the asset routes, otherwise the folder
 * middleware and then every other route, in the order of `compareRoutes`.
 */
export function mountRoutes(app: Hono<AppEnv>, tree: RouteTree, options: { asset?: boolean } = {}): void {
  const asset = options.asset ?? false;
  if (!asset) {
    for (const l of tree.layouts ?? []) {
      app.use(l.prefix === "/" ? "*" : `${l.prefix}/*`, async function layoutsOf(c, next) {
        const outer = c.get("layouts") ?? [];
        if (!outer.includes(l)) c.set("layouts", [...outer, l]);
        await next();
      });
    }
    for (const m of tree.middleware) {
      app.use(m.prefix === "/" ? "*" : `${m.prefix}/*`, ...(m.handlers as MiddlewareHandler<AppEnv>[]));
    }
  }
  for (const route of tree.routes) {
    if ((route.config.asset ?? false) !== asset) continue;
    for (const [method, h] of Object.entries(route.handler)) {
      app.on(method, route.pattern, ...(list(h) as [MiddlewareHandler<AppEnv>]));
    }
  }
}

/** The layouts that frame a URL path, outer folders first. */
export function layoutsFor(tree: RouteTree, path: string): LayoutFile[] {
  return (tree.layouts ?? []).filter((l) => l.prefix === "/" || path === l.prefix || path.startsWith(`${l.prefix}/`));
}

/** The handlers and middleware that run for one route and method, outer folder middleware first. */
export function chainOf(tree: RouteTree, route: RouteFile, method: Method): RouteHandler[] {
  const inside = (folder: string) => folder === "" || route.file.startsWith(`${folder}/`);
  return [
    ...tree.middleware.filter((m) => inside(m.folder)).flatMap((m) => m.handlers),
    ...list(route.handler[method]),
  ];
}

/** A route's pattern as a regular expression over paths. */
export function patternRegExp(pattern: string): RegExp {
  const source = pattern.split("/").map((s) => {
    const param = /^:(\w+)(?:\{(.+)\})?$/.exec(s);
    if (param) return param[2] ? `(?:${param[2]})` : "[^/]+";
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }).join("/");
  return new RegExp(`^${source}$`);
}

/** The route file that answers a method and path, as the mounted app would choose it. */
export function findRoute(tree: RouteTree, method: string, path: string): RouteFile | undefined {
  return tree.routes.find((r) => r.handler[method as Method] !== undefined && patternRegExp(r.pattern).test(path));
}
