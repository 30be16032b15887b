/** The ORDER BY of a console list, built from allow-listed sort keys only. */

/** A sortable column: its SQL expression, and whether it may be null (nulls then go last either way). */
export type SortColumn = string | { sql: string; nullable: true };

/**
 * `ORDER BY <expr> <dir>, <tiebreak> <dir>` for a sort key of `columns` (fixed SQL written by the
 * repository, never the request's text); an unknown key throws (the query string is validated before).
 * The tiebreak (a unique column) keeps pages stable: every row appears on exactly one page.
 */
export function orderByClause<K extends string>(
  columns: Record<K, SortColumn>,
  sort: K,
  dir: "asc" | "desc",
  tiebreak: string,
): string {
  const column = Object.hasOwn(columns, sort) ? columns[sort] : undefined;
  if (column === undefined) throw new Error(`Cannot sort by ${JSON.stringify(sort)}: not a sortable column`);
  if (dir !== "asc" && dir !== "desc") throw new Error(`Cannot sort ${JSON.stringify(dir)}: not a direction`);
  const d = dir === "desc" ? "DESC" : "ASC";
  const expr = typeof column === "string" ? `${column} ${d}` : `${column.sql} ${d} NULLS LAST`;
  return `ORDER BY ${expr}, ${tiebreak} ${d}`;
}
