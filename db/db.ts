/** A row as returned by the database: column name to value. */
export type Row = Record<string, unknown>;

/**
 * The one database port every repository uses. Both adapters (postgres.js and PGlite)
 * return `numeric` and `int8` columns as strings, timestamps as `Date`, and `jsonb` parsed.
 */
export interface Db {
  /** Which engine is behind the port. */
  readonly kind: "pglite" | "postgres";
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Closes every connection. */
  close(): Promise<void>;
  /**
   * Embedded PGlite only: a gzipped tarball of the data directory, taken after a checkpoint while no
   * transaction is open, so it is consistent at one point in time (what `deno task backup` writes).
   */
  snapshot?(): Promise<Uint8Array>;
}

/** Returns the first row or undefined. */
export async function one<T = Row>(db: Db, sql: string, params?: unknown[]): Promise<T | undefined> {
  const rows = await db.query<T>(sql, params);
  return rows[0];
}

/** Options for opening a database. */
export interface OpenDbOptions {
  /** A postgres:// URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory, or `memory://`. */
  dataDir?: string;
  /** Postgres schema to use (tests isolate themselves in a fresh schema). */
  schema?: string;
  /** Connection pool size for postgres.js. */
  maxConnections?: number;
}

/** Opens the database named by the options: postgres.js when a URL is given, otherwise PGlite. */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const { openPostgres } = await import("./postgres.ts");
    return openPostgres(options.databaseUrl, options);
  }
  const { openPglite } = await import("./pglite.ts");
  return openPglite(options.dataDir ?? "./data", options);
}
