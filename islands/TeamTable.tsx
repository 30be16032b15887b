/// <reference lib="dom" />
import { useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { fill, getTeamJson, TeamHttpError, type TeamNode } from "./TeamTree.tsx";
import { MAX_TIERS } from "../domain/referral.ts";
import { shopDay } from "../domain/shop_time.ts";
import { TableScroll } from "../components/TableScroll.tsx";

/** The table's query, as in the page URL and the search endpoint. */
export interface TeamTableQuery {
  [key: string]: unknown;
  q: string;
  tier: string;
  active: string;
  sort: "joined" | "sales" | "name";
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
}

/** Labels of the table, already translated. */
export interface TeamTableLabels {
  title: string;
  search: string;
  searchHint: string;
  submit: string;
  tierFilter: string;
  allTiers: string;
  tier: string;
  statusFilter: string;
  anyStatus: string;
  active: string;
  inactive: string;
  activeHint: string;
  sortBy: string;
  order: string;
  sorts: Record<TeamTableQuery["sort"], string>;
  dirs: Record<TeamTableQuery["dir"], string>;
  colName: string;
  colTier: string;
  colJoined: string;
  colSales: string;
  colStatus: string;
  colReferrals: string;
  count: string;
  empty: string;
  loading: string;
  failed: string;
  signedOut: string;
  pager: string;
  prev: string;
  next: string;
  page: string;
}

/** Props: the first page, rendered on the server for the query in the URL. */
export interface TeamTableProps {
  [key: string]: unknown;
  items: TeamNode[];
  total: number;
  query: TeamTableQuery;
  /** Where the page lives (for links that work without JavaScript). */
  path: string;
  labels: TeamTableLabels;
}

const DEFAULT_DIR: Record<TeamTableQuery["sort"], TeamTableQuery["dir"]> = {
  joined: "desc",
  sales: "desc",
  name: "asc",
};

/** The query string of a table state (defaults left out, so URLs stay short). */
export function teamQueryString(q: TeamTableQuery, defaultPageSize = 50): string {
  const out = new URLSearchParams();
  if (q.q) out.set("q", q.q);
  if (q.tier) out.set("tier", q.tier);
  if (q.active) out.set("active", q.active);
  if (q.sort !== "joined") out.set("sort", q.sort);
  if (q.dir !== DEFAULT_DIR[q.sort]) out.set("dir", q.dir);
  if (q.page > 1) out.set("page", String(q.page));
  if (q.pageSize !== defaultPageSize) out.set("pageSize", String(q.pageSize));
  return out.toString();
}

/**
 * My whole downline as a table: search, tier and activity filters, sorting by join date, sales or
 * name, and pages. The server renders the first page; later pages come from the search endpoint.
 * Every control is also a plain link or form, so the table works before (or without) JavaScript.
 */
export default function TeamTable(props: TeamTableProps) {
  const l = props.labels;
  const query = useSignal<TeamTableQuery>(props.query);
  /** What is in the search box (may run ahead of the query while typing). */
  const text = useSignal(props.query.q);
  const data = useSignal<{ items: TeamNode[]; total: number }>({ items: props.items, total: props.total });
  const state = useSignal<"idle" | "loading" | "error">("idle");
  const error = useSignal("");
  const seq = useRef(0);
  const abort = useRef<AbortController | null>(null);
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const href = (q: TeamTableQuery) => {
    const qs = teamQueryString(q, props.query.pageSize);
    return `${props.path}${qs ? `?${qs}` : ""}#team-table`;
  };

  async function run(next: TeamTableQuery) {
    query.value = next;
    const mine = ++seq.current;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    state.value = "loading";
    const qs = new URLSearchParams({
      sort: next.sort,
      dir: next.dir,
      page: String(next.page),
      pageSize: String(next.pageSize),
    });
    if (next.q) qs.set("q", next.q);
    if (next.tier) qs.set("tier", next.tier);
    if (next.active) qs.set("active", next.active);
    try {
      const page = await getTeamJson(`/api/me/team/search?${qs}`, controller.signal);
      if (mine !== seq.current) return;
      data.value = page;
      state.value = "idle";
      history.replaceState(history.state, "", href(next));
    } catch (err) {
      if (mine !== seq.current || (err as Error)?.name === "AbortError") return;
      error.value = err instanceof TeamHttpError && err.status === 401 ? l.signedOut : l.failed;
      state.value = "error";
    }
  }

  const change = (patch: Partial<TeamTableQuery>) => run({ ...query.peek(), page: 1, ...patch });

  const follow = (next: TeamTableQuery) => (e: MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    void run(next);
  };

  const q = query.value;
  const { items, total } = data.value;
  const pages = Math.max(1, Math.ceil(total / q.pageSize));

  function sortHeader(key: TeamTableQuery["sort"], label: string) {
    const current = q.sort === key;
    const nextDir = current ? (q.dir === "asc" ? "desc" : "asc") : DEFAULT_DIR[key];
    const next = { ...q, sort: key, dir: nextDir, page: 1 };
    return (
      <th scope="col" aria-sort={current ? (q.dir === "asc" ? "ascending" : "descending") : undefined}>
        <a href={href(next)} onClick={follow(next)} data-sort={key}>
          {label}
          <span aria-hidden="true">{current ? (q.dir === "asc" ? " ▲" : " ▼") : ""}</span>
        </a>
      </th>
    );
  }

  return (
    <section
      class="card stack"
      id="team-table"
      aria-labelledby="team-table-title"
      data-testid="team-table"
      style={{ padding: "var(--s4, 16px) var(--s5, 20px)" }}
    >
      <h2 id="team-table-title">{l.title}</h2>
      <form
        role="search"
        method="get"
        action={`${props.path}#team-table`}
        class="team-filters"
        style={{ display: "flex", flexWrap: "wrap", gap: "8px 12px", alignItems: "flex-end" }}
        onSubmit={(e) => {
          e.preventDefault();
          clearTimeout(typing.current);
          const form = new FormData(e.currentTarget as HTMLFormElement);
          void change({ q: String(form.get("q") ?? "").trim() });
        }}
      >
        <label class="field" style={{ flex: "2 1 220px", margin: 0 }}>
          <span>{l.search}</span>
          <input
            type="search"
            name="q"
            value={text.value}
            maxLength={60}
            placeholder={l.searchHint}
            autocomplete="off"
            onInput={(e) => {
              text.value = (e.currentTarget as HTMLInputElement).value;
              const value = text.value.trim();
              clearTimeout(typing.current);
              typing.current = setTimeout(() => {
                if (value !== query.peek().q) void change({ q: value });
              }, 350);
            }}
          />
        </label>
        <label class="field" style={{ flex: "1 1 120px", margin: 0 }}>
          <span>{l.tierFilter}</span>
          <select
            name="tier"
            value={q.tier}
            onChange={(e) => change({ tier: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">{l.allTiers}</option>
            {Array.from(
              { length: MAX_TIERS },
              (_, i) => <option key={i} value={String(i + 1)}>{fill(l.tier, { tier: i + 1 })}</option>,
            )}
          </select>
        </label>
        <label class="field" style={{ flex: "1 1 120px", margin: 0 }}>
          <span>{l.statusFilter}</span>
          <select
            name="active"
            value={q.active}
            onChange={(e) => change({ active: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">{l.anyStatus}</option>
            <option value="yes">{l.active}</option>
            <option value="no">{l.inactive}</option>
          </select>
        </label>
        <label class="field" style={{ flex: "1 1 140px", margin: 0 }}>
          <span>{l.sortBy}</span>
          <select
            name="sort"
            value={q.sort}
            onChange={(e) => {
              const sort = (e.currentTarget as HTMLSelectElement).value as TeamTableQuery["sort"];
              void change({ sort, dir: DEFAULT_DIR[sort] });
            }}
          >
            {(["joined", "sales", "name"] as const).map((s) => <option key={s} value={s}>{l.sorts[s]}</option>)}
          </select>
        </label>
        <label class="field" style={{ flex: "1 1 100px", margin: 0 }}>
          <span>{l.order}</span>
          <select
            name="dir"
            value={q.dir}
            onChange={(e) => change({ dir: (e.currentTarget as HTMLSelectElement).value as TeamTableQuery["dir"] })}
          >
            <option value="desc">{l.dirs.desc}</option>
            <option value="asc">{l.dirs.asc}</option>
          </select>
        </label>
        <button type="submit" class="btn btn-primary">{l.submit}</button>
      </form>

      <p class="muted" role="status" aria-live="polite" data-testid="team-count">
        {state.value === "loading" ? l.loading : fill(l.count, { total })}
        {" · "}
        {l.activeHint}
      </p>
      {state.value === "error" && <p class="field-error" role="alert">{error.value}</p>}

      {items.length === 0 ? <p class="muted">{l.empty}</p> : (
        <TableScroll label={l.title}>
          <table class="table" aria-busy={state.value === "loading" ? "true" : undefined}>
            <thead>
              <tr>
                {sortHeader("name", l.colName)}
                <th scope="col">{l.colTier}</th>
                {sortHeader("joined", l.colJoined)}
                {sortHeader("sales", l.colSales)}
                <th scope="col">{l.colStatus}</th>
                <th scope="col">{l.colReferrals}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id} data-testid="team-row">
                  <td>{m.name}</td>
                  <td>
                    <span class="badge">{fill(l.tier, { tier: m.tier })}</span>
                  </td>
                  <td>
                    <time dateTime={m.joinedAt}>{shopDay(m.joinedAt)}</time>
                  </td>
                  <td>¥{m.sales30d}</td>
                  <td>
                    <span class={m.active ? "badge badge-info" : "badge badge-muted"}>
                      {m.active ? l.active : l.inactive}
                    </span>
                  </td>
                  <td>{m.tier < MAX_TIERS ? m.childCount : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      {pages > 1 && (
        <nav class="pager" aria-label={l.pager}>
          {q.page > 1
            ? (
              <a
                class="btn btn-ghost"
                rel="prev"
                href={href({ ...q, page: q.page - 1 })}
                onClick={follow({ ...q, page: q.page - 1 })}
              >
                {l.prev}
              </a>
            )
            : <span />}
          <span class="pager-info">{fill(l.page, { page: q.page, pages })}</span>
          {q.page < pages
            ? (
              <a
                class="btn btn-ghost"
                rel="next"
                href={href({ ...q, page: q.page + 1 })}
                onClick={follow({ ...q, page: q.page + 1 })}
              >
                {l.next}
              </a>
            )
            : <span />}
        </nav>
      )}
    </section>
  );
}
