import { PGlite, types } from "@electric-sql/pglite";
import type { Db, OpenDbOptions } from "./db.ts";

interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

const parsers = { [types.INT8]: (v: string) => v };

function wrap(pg: Queryable, root: PGlite, inTx: boolean): Db {
  return {
    kind: "pglite",
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await pg.query<T>(sql, params);
      return result.rows;
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (inTx) {
        const name = `sp_${crypto.randomUUID().replaceAll("-", "")}`;
        await pg.query(`SAVEPOINT ${name}`);
        try {
          const result = await fn(this);
          await pg.query(`RELEASE SAVEPOINT ${name}`);
          return result;
        } catch (err) {
          await pg.query(`ROLLBACK TO SAVEPOINT ${name}`);
          throw err;
        }
      }
      return await root.transaction((tx) => fn(wrap(tx as unknown as Queryable, root, true)));
    },
    async listen(channel, onNotify) {
      const unsub = await root.listen(channel, onNotify);
      return async () => {
        await unsub();
      };
    },
    async close() {
      if (!root.closed) await root.close();
    },
    ...(inTx ? {} : {
      async snapshot() {
        // CHECKPOINT writes every committed change to the data files; the dump then runs under the
        // transaction mutex, so no transaction is half done in it.
        await root.exec("CHECKPOINT");
        const tar = await root._runExclusiveTransaction(() => root.dumpDataDir("gzip"));
        return new Uint8Array(await tar.arrayBuffer());
      },
    }),
  };
}

/**
 * Opens embedded PGlite persisted in `dataDir` (or in memory for `memory://`). With `loadDataDir`
 * (a tarball from `snapshot()`), a new data directory is filled from it first.
 */
export async function openPglite(
  dataDir: string,
  _options: OpenDbOptions = {},
  loadDataDir?: Uint8Array,
): Promise<Db> {
  if (!dataDir.startsWith("memory://")) await Deno.mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir, {
    parsers,
    ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir as Uint8Array<ArrayBuffer>]) } : {}),
  });
  return wrap(pg as unknown as Queryable, pg, false);
}
