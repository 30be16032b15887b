/**
 * The query string of the console's lists: allow-listed sort keys, a direction, a page and the list's own
 * filters, validated with zod. A value that is not allowed is a 400 naming the field and the allowed values
 * (never SQL); an empty value counts as absent, so an untouched filter form falls back to the defaults.
 */
import { z } from "zod";
import type { Ctx } from "./app_env.ts";
import { parseInput } from "./validate.ts";
import { says } from "../i18n/messages.ts";

/** A sort direction. */
export type SortDir = "asc" | "desc";
/** The sort directions. */
export const SORT_DIRS = ["asc", "desc"] as const;
/** The highest page a list link may ask for. */
export const MAX_PAGE = 10_000;

/**
 * The sort, direction and page of a list, and its filters, as one zod object. Without a sort the list's
 * default sort and direction apply (a sort named without a direction is ascending: see `presentQuery`).
 */
export function listQuerySchema<const S extends readonly [string, ...string[]], F extends z.ZodRawShape>(
  options: { sorts: S; sort: S[number]; dir: SortDir; filters: F },
) {
  return z.object({
    ...options.filters,
    sort: z.enum(options.sorts, says("list.err.sort", { allowed: options.sorts.join(", ") })).default(
      options.sort as never,
    ),
    dir: z.enum(SORT_DIRS, says("list.err.dir")).default(options.dir),
    page: z.coerce.number(says("validation.integer")).int().min(1).max(MAX_PAGE).default(1),
  });
}

/**
 * The query string without empty values (an empty filter is no filter), and with `dir=asc` when a sort is
 * named without a direction (`?sort=name` lists A to Z, whatever the list's default direction).
 */
export function presentQuery(query: Record<string, string>): Record<string, string> {
  const present = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ""));
  if (present.sort !== undefined && present.dir === undefined) present.dir = "asc";
  return present;
}

/** Parses a list's query string with its schema (400 `invalid_input` naming the field on a bad value). */
export function readListQuery<S extends z.ZodType>(c: Ctx, schema: S): z.infer<S> {
  return parseInput(schema, presentQuery(c.req.query()));
}

/**
 * The parameters to keep in a list's links (pages, sort headers, downloads): every value given that is not
 * its default, without the page. Defaults are the schema's for `sort` and `dir`.
 */
export function keepQuery(
  q: Record<string, unknown>,
  defaults: { sort: string; dir: SortDir },
): Record<string, string> {
  const keep: Record<string, string> = {};
  for (const [key, value] of Object.entries(q)) {
    if (key === "page" || value === undefined || value === null || value === "" || value === false) continue;
    if (key === "sort" && value === defaults.sort && q.dir === defaults.dir) continue;
    if (key === "dir" && q.sort === defaults.sort && value === defaults.dir) continue;
    keep[key] = String(value);
  }
  return keep;
}

/** A list's URL with the parameters to keep and its page (a form's way back to the page it was on). */
export function listHref(path: string, keep: Record<string, string>, page = 1): string {
  const query = new URLSearchParams({ ...keep, ...(page > 1 ? { page: String(page) } : {}) }).toString();
  return query ? `${path}?${query}` : path;
}
