import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveEvent, type LiveStatus } from "../client/live.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";
import { shortTime } from "../domain/shop_time.ts";

/** A member as the dashboard lists them. */
export interface NewMember {
  id: string;
  name: string;
  uplineId: string | null;
  joinedAt: string;
}

/** Props: the server's snapshot and the id of the last event it includes. */
export interface MembersLiveProps {
  [key: string]: unknown;
  today: number;
  total: number;
  newest: NewMember[];
  lastEventId: number;
  labels: {
    today: string;
    total: string;
    newest: string;
    empty: string;
    upline: string;
    status: Record<LiveStatus, string>;
  };
}

const MAX_LIST = 8;

/** Live "members today / newest members" for the manager home. */
export default function MembersLive(props: MembersLiveProps) {
  const today = useSignal(props.today);
  const total = useSignal(props.total);
  const newest = useSignal(props.newest);
  const status = useSignal<LiveStatus>("connecting");
  const flash = useSignal(false);

  useEffect(() => {
    const live = connectLive(props.lastEventId, (e: LiveEvent) => {
      if (e.type !== "member_joined") return;
      const d = e.data;
      if (newest.peek().some((m) => m.id === d.memberId)) return;
      today.value += 1;
      total.value += 1;
      newest.value = [{ id: d.memberId, name: d.name, uplineId: d.uplineId, joinedAt: e.at }, ...newest.peek()].slice(
        0,
        MAX_LIST,
      );
      flash.value = true;
      setTimeout(() => (flash.value = false), 800);
    });
    const stop = live.status.subscribe((s) => (status.value = s));
    return () => {
      stop();
      live.close();
    };
  }, []);

  const l = props.labels;
  return (
    <section class="card live-card" aria-labelledby="members-live-title">
      <header class="card-head">
        <h2 id="members-live-title">{l.newest}</h2>
        <LiveIndicator status={status.value} labels={l.status} />
      </header>
      <div class="stats">
        <div class={flash.value ? "stat flash" : "stat"}>
          <span class="stat-label">{l.today}</span>
          <strong class="stat-value" data-testid="members-today">{today.value}</strong>
        </div>
        <div class="stat">
          <span class="stat-label">{l.total}</span>
          <strong class="stat-value" data-testid="members-total">{total.value}</strong>
        </div>
      </div>
      {newest.value.length === 0
        ? <p class="muted">{l.empty}</p>
        : (
          <ul class="member-list" data-testid="newest-members">
            {newest.value.map((m) => (
              <li key={m.id}>
                <span class="avatar sm" aria-hidden="true">{m.name.slice(0, 1)}</span>
                <span class="member-name">{m.name}</span>
                <time class="muted" dateTime={m.joinedAt}>{shortTime(m.joinedAt)}</time>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
