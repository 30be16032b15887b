import type { Db } from "./db.ts";

/** The transaction setting that tells SQL the time (`shop_now()`, migration 0023). */
export const SQL_CLOCK_SETTING = "sharemall.clock";

/** A Db that writes history: see `historyDb`. */
export interface HistoryDb extends Db {
  /** Back to the real time for the rest of the transaction (SQL's clock setting cleared). */
  release(): Promise<void>;
}

/**
 * A view of one open transaction in which the use-cases run at the moments `now()` names, one after
 * another: before a statement runs at a new moment the transaction's SQL clock (`sharemall.clock`,
 * read by `shop_now()` and the timestamp defaults of migration 0023) is set to it, so rows written by
 * the real services carry the time they describe. A use-case's own `transaction()` joins the open one
 * (no savepoint per use-case: the history is written as a whole, and undone as a whole by the caller
 * when any step fails). For seeding only: nothing else should hold one transaction that long.
 */
export function historyDb(tx: Db, now: () => Date): HistoryDb {
  let told = "";
  const tell = async () => {
    const at = now().toISOString();
    if (at === told) return;
    await tx.query("SELECT set_config($1, $2, true)", [SQL_CLOCK_SETTING, at]);
    told = at;
  };
  const db: HistoryDb = {
    kind: tx.kind,
    async query<T>(sql: string, params?: unknown[]) {
      await tell();
      return await tx.query<T>(sql, params);
    },
    async exec(sql: string) {
      await tell();
      await tx.exec(sql);
    },
    transaction: (fn) => fn(db),
    listen: (channel, onNotify) => tx.listen(channel, onNotify),
    close: () => Promise.resolve(),
    async release() {
      await tx.query("SELECT set_config($1, '', true)", [SQL_CLOCK_SETTING]);
      told = "";
    },
  };
  return db;
}
