import postgres from "postgres";
import type { Db, OpenDbOptions } from "./db.ts";

type Sql = postgres.Sql | postgres.TransactionSql;

function wrap(sql: Sql, root: postgres.Sql, inTx = false): Db {
  return {
    kind: "postgres",
    async query<T>(text: string, params: unknown[] = []) {
      // deno-lint-ignore no-explicit-any
      const rows = await sql.unsafe(text, params as any[]);
      return rows as unknown as T[];
    },
    async exec(text: string) {
      await sql.unsafe(text);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (inTx) {
        // Already inside a transaction: nest with a savepoint.
        return await (sql as postgres.TransactionSql).savepoint((sp) => fn(wrap(sp, root, true))) as T;
      }
      return await root.begin((tx) => fn(wrap(tx, root, true))) as T;
    },
    async listen(channel, onNotify) {
      const sub = await root.listen(channel, onNotify);
      return async () => {
        await sub.unlisten();
      };
    },
    async close() {
      await root.end({ timeout: 5 });
    },
  };
}

/** Opens a postgres.js pool. With `schema`, every connection uses (and creates) that schema. */
export async function openPostgres(url: string, options: OpenDbOptions = {}): Promise<Db> {
  if (options.schema) {
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    await admin.end();
  }
  const root = postgres(url, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    types: {
      // int8 as string, matching the PGlite adapter.
      bigint: { to: 20, from: [20], serialize: (v: unknown) => String(v), parse: (v: string) => v },
    },
    connection: options.schema ? { search_path: options.schema } : undefined,
  });
  return wrap(root, root);
}
