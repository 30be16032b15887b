import type { Db } from "./db.ts";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
/** Advisory lock key shared by every instance applying migrations. */
const MIGRATION_LOCK = 727_001;

/** Loads the versioned SQL files, sorted by their numeric prefix. */
export async function loadMigrations(): Promise<{ version: string; sql: string }[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(MIGRATIONS_DIR)) {
    if (entry.isFile && entry.name.endsWith(".sql")) files.push(entry.name);
  }
  files.sort();
  return await Promise.all(
    files.map(async (name) => ({
      version: name.replace(/\.sql$/, ""),
      sql: await Deno.readTextFile(new URL(name, MIGRATIONS_DIR)),
    })),
  );
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so two instances
 * starting at once apply each migration exactly once. Returns the versions applied.
 */
export async function migrate(db: Db): Promise<string[]> {
  const migrations = await loadMigrations();
  return await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Set(
      (await tx.query<{ version: string }>("SELECT version FROM schema_migrations")).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version) VALUES ($1)", [m.version]);
      applied.push(m.version);
    }
    return applied;
  });
}
