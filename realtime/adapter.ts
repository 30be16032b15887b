import pg from "pg";
import type { Server } from "socket.io";
import { createAdapter } from "@socket.io/postgres-adapter";
import type { Logger } from "../lib/log.ts";

/** The table where the adapter puts messages too large for a NOTIFY (over 8,000 bytes, or binary). */
export const ADAPTER_ATTACHMENTS_TABLE = "socket_io_attachments";

/** Options of `attachPostgresAdapter`. */
export interface PostgresAdapterOptions {
  /** The NOTIFY channel prefix: instances with the same prefix on one database form one cluster. */
  channelPrefix?: string;
  /** How long to wait for the adapter to LISTEN before serving anyway (with a warning). */
  readyTimeoutMs?: number;
}

/** The adapter's own connections, to close after `io.close()`. */
export interface PostgresAdapterHandle {
  close(): Promise<void>;
}

/**
 * Joins this instance's socket.io to the other instances on the same PostgreSQL through
 * `@socket.io/postgres-adapter` (LISTEN/NOTIFY over a small `pg` pool): broadcasts and socket commands such
 * as `io.in(room).disconnectSockets()` then reach the sockets of every instance. Live events do not go through
 * it: each instance's dispatcher sends the outbox to its own sockets (`io.local`).
 */
export async function attachPostgresAdapter(
  io: Server,
  databaseUrl: string,
  log: Logger,
  options: PostgresAdapterOptions = {},
): Promise<PostgresAdapterHandle> {
  // One connection stays LISTENing; the others send NOTIFYs and the attachment cleanup.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 3,
    idleTimeoutMillis: 30_000,
    application_name: "socket.io-adapter",
  });
  pool.on("error", (err) => log.warn("socket.io adapter connection failed", { error: String(err) }));
  await createAttachmentsTable(pool, log);
  io.adapter(createAdapter(pool, {
    channelPrefix: options.channelPrefix ?? "socket.io",
    tableName: ADAPTER_ATTACHMENTS_TABLE,
    errorHandler: (err) => log.warn("socket.io adapter error", { error: String(err) }),
  }));
  if (!await listening(io, options.readyTimeoutMs ?? 5000)) {
    log.warn("socket.io adapter is not listening yet; commands from other instances may be missed until it is");
  }
  let closed: Promise<void> | undefined;
  return { close: () => closed ??= pool.end() };
}

/** Creates the attachments table once; instances starting together may race, which is harmless. */
async function createAttachmentsTable(pool: pg.Pool, log: Logger): Promise<void> {
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${ADAPTER_ATTACHMENTS_TABLE} (
      id bigserial UNIQUE,
      created_at timestamptz DEFAULT now(),
      payload bytea
    )`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 23505/42P07: another instance created it at the same moment.
    if (code !== "23505" && code !== "42P07") {
      log.warn("socket.io adapter attachments table not created; large broadcasts will fail", { error: String(err) });
    }
  }
}

/**
 * Waits until the adapter's subscriber connection has run its LISTEN, so that a command another instance
 * sends after this one starts serving is not missed. @socket.io/postgres-adapter 0.5 (pinned) sets
 * `adapter.client.client` once it listens; it exposes no promise for it.
 */
async function listening(io: Server, timeoutMs: number): Promise<boolean> {
  const adapter = io.of("/").adapter as unknown as { client?: { client?: unknown } };
  const deadline = Date.now() + timeoutMs;
  while (!adapter.client?.client) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
