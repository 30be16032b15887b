/// <reference lib="dom" />
import { io, type Socket } from "socket.io-client";
import { type Signal, signal } from "@preact/signals";
import type { EventType, LiveEventOf } from "../realtime/events.ts";

/**
 * A live event as the server sends it, `{ id, type, at, data }`: a union discriminated by `type`, built from
 * the server's event map (types only), so `e.type === "sale"` gives `e.data` the sale's shape.
 */
export type LiveEvent<T extends EventType = EventType> = LiveEventOf<T>;

/** Connection states shown by the live indicator. */
export type LiveStatus = "connecting" | "live" | "offline";

/** A live connection model: owns its socket and its signals; components only read them. */
export interface LiveConnection {
  status: Signal<LiveStatus>;
  lastEventId: Signal<number>;
  close(): void;
}

/**
 * Connects to the server's live events. The handshake carries the last event id seen, so after
 * any reconnect (backoff with jitter) or server restart the server replays what was missed, in
 * order; events at or below the last id are dropped, so nothing is applied twice.
 */
export function connectLive(startAfter: number, onEvent: (e: LiveEvent) => void): LiveConnection {
  const status = signal<LiveStatus>("connecting");
  const lastEventId = signal(startAfter);
  const socket: Socket = io({
    transports: ["websocket", "polling"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    auth: (cb) => cb({ lastEventId: lastEventId.peek() }),
  });
  socket.on("connect", () => (status.value = "live"));
  socket.on("disconnect", () => (status.value = "offline"));
  socket.on("connect_error", () => (status.value = "offline"));
  socket.on("event", (e: LiveEvent) => {
    if (typeof e?.id !== "number" || e.id <= lastEventId.peek()) return;
    lastEventId.value = e.id;
    onEvent(e);
  });
  // Exposed for tests and debugging: lets a test cut the connection as a network failure would.
  (globalThis as { __live?: Socket[] }).__live = [...((globalThis as { __live?: Socket[] }).__live ?? []), socket];
  return { status, lastEventId, close: () => socket.close() };
}
