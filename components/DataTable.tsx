import type { ComponentChildren } from "preact";
import { Icon } from "./Icon.tsx";
import type { IconName } from "./icons.ts";

/** What a list shows when it has nothing: an icon, a sentence and what to do about it. */
export function EmptyState(
  { text, hint, icon = "inbox", children }: {
    text: string;
    hint?: string;
    icon?: IconName;
    children?: ComponentChildren;
  },
) {
  return (
    <div class="empty-state" data-testid="empty-state">
      <Icon name={icon} size={32} />
      <p>{text}</p>
      {hint && <p class="empty-hint">{hint}</p>}
      {children}
    </div>
  );
}

/** A table body row spanning every column with the empty state (the headers stay, so the list reads as one). */
export function EmptyRow(props: { columns: number; text: string; hint?: string; icon?: IconName }) {
  return (
    <tr class="table-empty">
      <td colSpan={props.columns}>
        <EmptyState text={props.text} hint={props.hint} icon={props.icon} />
      </td>
    </tr>
  );
}

/** A sort direction. */
export type SortDir = "asc" | "desc";

/**
 * A column header that sorts the list by its key: a link to the same list sorted by it (ascending first,
 * flipping when already sorted by it), with `aria-sort` on the sorted column.
 */
export function SortHeader(
  { label, column, sort, dir, query, class: className }: {
    label: string;
    column: string;
    /** The column the list is sorted by now. */
    sort: string | undefined;
    dir: SortDir;
    /** The other query parameters to keep (filters); the page goes back to 1. */
    query: Record<string, string>;
    class?: string;
  },
) {
  const active = sort === column;
  const next: SortDir = active && dir === "asc" ? "desc" : "asc";
  const rest = Object.fromEntries(Object.entries(query).filter(([k]) => k !== "page" && k !== "sort" && k !== "dir"));
  const href = `?${new URLSearchParams({ ...rest, sort: column, dir: next })}`;
  const icon: IconName = active ? (dir === "asc" ? "sortUp" : "sortDown") : "sort";
  return (
    <th scope="col" class={className} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      <a class="sort-link" href={href}>
        {label}
        <Icon name={icon} size={14} />
      </a>
    </th>
  );
}

/** Hidden inputs that carry `names` of `keep` through a GET filter form (the sort stays when filters change). */
export function KeepFields({ keep, names = ["sort", "dir"] }: { keep: Record<string, string>; names?: string[] }) {
  return (
    <>
      {names.filter((n) => keep[n]).map((n) => <input key={n} type="hidden" name={n} value={keep[n]} />)}
    </>
  );
}
