/// <reference lib="dom" />
import { useSignal } from "@preact/signals";
import { MAX_TIERS } from "../domain/referral.ts";
import { shopDay } from "../domain/shop_time.ts";

/** A downline member as the team endpoints return them. */
export interface TeamNode {
  [key: string]: unknown;
  id: string;
  name: string;
  tier: number;
  joinedAt: string;
  sales30d: string;
  active: boolean;
  childCount: number;
}

/** A page of members as the team endpoints return it. */
export interface TeamNodePage {
  items: TeamNode[];
  total: number;
}

/** Fills `{name}` placeholders of a label. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A failed request to the team endpoints. */
export class TeamHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** GETs a JSON page from a team endpoint with the session cookie. */
export async function getTeamJson(url: string, signal?: AbortSignal): Promise<TeamNodePage> {
  const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin", signal });
  if (!res.ok) throw new TeamHttpError(res.status);
  return await res.json() as TeamNodePage;
}

/** Labels of the tree, already translated (`{tier}`, `{count}` are filled in here). */
export interface TeamTreeLabels {
  title: string;
  hint: string;
  empty: string;
  tier: string;
  referrals: string;
  sales30d: string;
  active: string;
  inactive: string;
  joined: string;
  loadMore: string;
  loading: string;
  failed: string;
  retry: string;
  signedOut: string;
}

/** Props: the first page of my direct referrals, rendered on the server. */
export interface TeamTreeProps {
  [key: string]: unknown;
  items: TeamNode[];
  total: number;
  pageSize: number;
  labels: TeamTreeLabels;
}

interface Branch {
  items: TeamNode[];
  total: number;
  page: number;
  state: "idle" | "loading" | "error";
  error?: string;
}

/** The root branch's key (my own referrals). */
const ROOT = "";

/**
 * My team as an expandable tree: my direct referrals first; a member's referrals load on demand
 * (one page at a time) down to the third tier. Each expandable member is a button with
 * `aria-expanded`, so the tree works from the keyboard and with screen readers.
 */
export default function TeamTree(props: TeamTreeProps) {
  const l = props.labels;
  const branches = useSignal<Record<string, Branch>>({
    [ROOT]: { items: props.items, total: props.total, page: 1, state: "idle" },
  });
  const open = useSignal<Record<string, boolean>>({});

  const setBranch = (id: string, patch: Partial<Branch>) => {
    const current = branches.peek()[id] ?? { items: [], total: 0, page: 0, state: "idle" };
    branches.value = { ...branches.peek(), [id]: { ...current, ...patch } };
  };

  async function load(id: string, more: boolean) {
    const current = branches.peek()[id];
    if (current?.state === "loading") return;
    const page = more && current ? current.page + 1 : 1;
    setBranch(id, { state: "loading", error: undefined });
    const query = new URLSearchParams({ page: String(page), pageSize: String(props.pageSize) });
    if (id !== ROOT) query.set("parentId", id);
    try {
      const data = await getTeamJson(`/api/me/team/children?${query}`);
      const before = more ? branches.peek()[id]?.items ?? [] : [];
      const seen = new Set(before.map((n) => n.id));
      setBranch(id, {
        items: [...before, ...data.items.filter((n) => !seen.has(n.id))],
        total: data.total,
        page,
        state: "idle",
      });
    } catch (err) {
      setBranch(id, {
        state: "error",
        error: err instanceof TeamHttpError && err.status === 401 ? l.signedOut : l.failed,
      });
    }
  }

  function toggle(node: TeamNode) {
    const isOpen = !open.peek()[node.id];
    open.value = { ...open.peek(), [node.id]: isOpen };
    if (isOpen && !branches.peek()[node.id]) void load(node.id, false);
  }

  function renderBranch(id: string, level: number) {
    const b = branches.value[id];
    if (!b) return null;
    const left = b.total - b.items.length;
    return (
      <>
        <ul
          class="team-tree"
          aria-busy={b.state === "loading" ? "true" : undefined}
          style={{ listStyle: "none", margin: 0, padding: level > 1 ? "0 0 0 22px" : 0 }}
        >
          {b.items.map((n) => renderNode(n, level))}
        </ul>
        <div aria-live="polite" style={{ padding: level > 1 ? "0 0 0 22px" : 0 }}>
          {b.state === "loading" && <p class="muted">{l.loading}</p>}
          {b.state === "error" && (
            <p class="field-error">
              {b.error}{" "}
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => load(id, b.items.length > 0)}>
                {l.retry}
              </button>
            </p>
          )}
          {b.state === "idle" && left > 0 && (
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              onClick={() => load(id, true)}
            >
              {fill(l.loadMore, { count: left })}
            </button>
          )}
        </div>
      </>
    );
  }

  function renderNode(n: TeamNode, level: number) {
    const expandable = n.tier < MAX_TIERS && n.childCount > 0;
    const isOpen = Boolean(open.value[n.id]);
    const childrenId = `team-children-${n.id}`;
    return (
      <li key={n.id} data-testid="tree-node" data-tier={n.tier}>
        <div
          class="team-node"
          style={{
            display: "flex",
            flexWrap: "wrap",
            alignItems: "center",
            gap: "4px 12px",
            padding: "6px 0",
            borderBottom: "1px solid var(--line, #e5e7eb)",
          }}
        >
          {expandable
            ? (
              <button
                type="button"
                class="btn btn-ghost btn-sm team-toggle"
                aria-expanded={isOpen ? "true" : "false"}
                aria-controls={childrenId}
                onClick={() => toggle(n)}
              >
                <span aria-hidden="true" style={{ display: "inline-block", width: "1em" }}>{isOpen ? "▾" : "▸"}</span>
                {n.name}
              </button>
            )
            : (
              <span
                class="team-leaf"
                style={{
                  display: "inline-flex",
                  alignItems: "center",
                  minHeight: "32px",
                  paddingLeft: "34px",
                  fontSize: "var(--fs-sm, 13px)",
                  fontWeight: 600,
                }}
              >
                {n.name}
              </span>
            )}
          <span class="badge">{fill(l.tier, { tier: n.tier })}</span>
          {n.tier < MAX_TIERS && <span class="muted">{fill(l.referrals, { count: n.childCount })}</span>}
          <span>
            <span class="muted">{l.sales30d}</span> ¥{n.sales30d}
          </span>
          <span class={n.active ? "badge badge-info" : "badge badge-muted"}>{n.active ? l.active : l.inactive}</span>
          <span class="muted">{l.joined} {shopDay(n.joinedAt)}</span>
        </div>
        {expandable && (
          <div id={childrenId} hidden={!isOpen}>
            {isOpen && renderBranch(n.id, level + 1)}
          </div>
        )}
      </li>
    );
  }

  return (
    <section
      class="card stack"
      aria-labelledby="team-tree-title"
      data-testid="team-tree"
      style={{ padding: "var(--s4, 16px) var(--s5, 20px)" }}
    >
      <header>
        <h2 id="team-tree-title">{l.title}</h2>
        <p class="muted">{l.hint}</p>
      </header>
      {props.total === 0 ? <p class="muted">{l.empty}</p> : renderBranch(ROOT, 1)}
    </section>
  );
}
