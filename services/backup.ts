/**
 * Backups of the embedded PGlite database. PGlite is one process holding its data directory, so the
 * running app takes the snapshot (`Db.snapshot()`: a checkpoint, then a tarball of the data directory
 * taken while no transaction is open) and hands it out over a Unix socket beside the data directory
 * (`<DATA_DIR>.backup.sock`, mode 0600: whoever may read the data directory may ask). `deno task backup`
 * asks through that socket, or opens the data directory itself when no app is running. `deno task restore`
 * fills a new, empty data directory from a tarball. PostgreSQL is backed up with pg_dump instead.
 */
import type { Db } from "../db/db.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { Logger } from "../lib/log.ts";

/** A backup could not be taken or restored; the message says why. */
export class BackupError extends Error {}

/** How backup files are named: `sharemall-<UTC time>.tar.gz`, so that names sort by age. */
export const BACKUP_FILE = /^sharemall-\d{8}T\d{9}Z\.tar\.gz$/;

/** The file name of a backup taken at `now`. */
export function backupFileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, ""); // 20260101T120000123Z
  return `sharemall-${stamp}.tar.gz`;
}

/** The control socket of the app running on `dataDir`. */
export function controlSocketPath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "")}.backup.sock`;
}

/** Takes a snapshot of the embedded database and records it in the audit log. */
export async function snapshotDb(db: Db, trigger: "command" | "schedule"): Promise<Uint8Array> {
  if (!db.snapshot) throw new BackupError("the database is PostgreSQL: back it up with pg_dump (see the README)");
  const started = performance.now();
  const bytes = await db.snapshot();
  await appendAudit(db, {
    actorId: null,
    action: "backup.create",
    target: "database",
    after: { trigger, bytes: bytes.length, ms: Math.round(performance.now() - started) },
  });
  return bytes;
}

/** Writes a snapshot into `dir` (atomically: a partial file is renamed when complete) and keeps the newest `keep`. */
export async function saveBackup(
  bytes: Uint8Array,
  dir: string,
  keep: number,
  now = new Date(),
): Promise<{ file: string; removed: string[] }> {
  await Deno.mkdir(dir, { recursive: true });
  const file = `${dir.replace(/\/+$/, "")}/${backupFileName(now)}`;
  await Deno.writeFile(`${file}.partial`, bytes, { mode: 0o600 });
  await Deno.rename(`${file}.partial`, file);
  return { file, removed: await pruneBackups(dir, keep) };
}

/** Deletes all but the newest `keep` backup files in `dir`; returns the deleted paths. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (entry.isFile && BACKUP_FILE.test(entry.name)) names.push(entry.name);
  names.sort().reverse();
  const removed = names.slice(Math.max(keep, 1)).map((n) => `${dir.replace(/\/+$/, "")}/${n}`);
  for (const path of removed) await Deno.remove(path);
  return removed;
}

/**
 * Serves snapshots on the control socket of a running app on PGlite. A client sends one line
 * (`snapshot`); the answer is one JSON line (`{"ok":true,"bytes":N}` or `{"ok":false,"error":…}`)
 * followed by the N bytes of the tarball.
 */
export async function serveBackupControl(db: Db, dataDir: string, log: Logger): Promise<{ close(): Promise<void> }> {
  const path = controlSocketPath(dataDir);
  // A socket left by an app that crashed: nobody answers on it, so it is removed (one app per data directory).
  const live = await Deno.connect({ transport: "unix", path }).then((c) => (c.close(), true), () => false);
  if (live) {
    throw new BackupError(`another app is running on ${dataDir} (its control socket ${path} answers)`);
  }
  await Deno.remove(path).catch(() => {});
  const listener = Deno.listen({ transport: "unix", path });
  await Deno.chmod(path, 0o600);
  const handling = new Set<Promise<void>>();
  const serve = async (conn: Deno.Conn) => {
    try {
      const reader = conn.readable.getReader();
      let line = "";
      const decoder = new TextDecoder();
      while (!line.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        line += decoder.decode(value);
      }
      reader.releaseLock();
      const writer = conn.writable.getWriter();
      const encoder = new TextEncoder();
      if (line.trim() !== "snapshot") {
        await writer.write(encoder.encode(JSON.stringify({ ok: false, error: "unknown command" }) + "\n"));
      } else {
        try {
          const bytes = await snapshotDb(db, "command");
          log.info("backup snapshot taken", { bytes: bytes.length, trigger: "command" });
          await writer.write(encoder.encode(JSON.stringify({ ok: true, bytes: bytes.length }) + "\n"));
          await writer.write(bytes);
        } catch (err) {
          log.error("backup failed", { error: String(err) });
          await writer.write(encoder.encode(JSON.stringify({ ok: false, error: String(err) }) + "\n"));
        }
      }
      await writer.close();
    } catch (err) {
      log.warn("backup control connection failed", { error: String(err) });
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        const p = serve(conn).finally(() => handling.delete(p));
        handling.add(p);
      }
    } catch { /* closed */ }
  })();
  return {
    async close() {
      try {
        listener.close();
      } catch { /* already closed */ }
      await accepting;
      await Promise.all(handling);
      await Deno.remove(path).catch(() => {});
    },
  };
}

/**
 * Asks the app listening on the control socket `path` for a snapshot. Rejects with `Deno.errors.NotFound`
 * or `ConnectionRefused` when no app listens there, and with `BackupError` when the app could not take it.
 */
export async function requestSnapshot(path: string): Promise<Uint8Array> {
  const conn = await Deno.connect({ transport: "unix", path });
  const writer = conn.writable.getWriter();
  await writer.write(new TextEncoder().encode("snapshot\n"));
  writer.releaseLock();
  const chunks: Uint8Array[] = [];
  for await (const chunk of conn.readable) chunks.push(chunk);
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  const newline = all.indexOf(10);
  if (newline < 0) throw new BackupError("the app closed the control socket without an answer");
  const head = JSON.parse(new TextDecoder().decode(all.subarray(0, newline))) as
    | { ok: true; bytes: number }
    | { ok: false; error: string };
  if (!head.ok) throw new BackupError(`the app could not take a snapshot: ${head.error}`);
  const body = all.slice(newline + 1);
  if (body.length !== head.bytes) throw new BackupError(`snapshot cut short: ${body.length} of ${head.bytes} bytes`);
  return body;
}

/**
 * A snapshot of the PGlite data directory `dataDir`: from the app running on it, or, when none is,
 * by opening the directory here. `via` says which.
 */
export async function snapshotDataDir(dataDir: string): Promise<{ bytes: Uint8Array; via: "app" | "direct" }> {
  try {
    return { bytes: await requestSnapshot(controlSocketPath(dataDir)), via: "app" };
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound || err instanceof Deno.errors.ConnectionRefused)) throw err;
  }
  if (!await isNonEmptyDir(dataDir)) throw new BackupError(`no database in ${dataDir}`);
  const { openPglite } = await import("../db/pglite.ts");
  const db = await openPglite(dataDir);
  try {
    return { bytes: await snapshotDb(db, "command"), via: "direct" };
  } finally {
    await db.close();
  }
}

/**
 * Restores a backup file into `dataDir`, which must not exist or be empty (a backup never overwrites a
 * database). The restored database is opened once to check that it reads.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<{ orders: number }> {
  if (await isNonEmptyDir(dataDir)) {
    throw new BackupError(`${dataDir} is not empty: restore into a new directory, then point DATA_DIR at it`);
  }
  const bytes = await Deno.readFile(file);
  const { openPglite } = await import("../db/pglite.ts");
  let db: Db | undefined;
  try {
    db = await openPglite(dataDir, {}, bytes);
    const [row] = await db.query<{ n: string }>("SELECT count(*) AS n FROM orders");
    return { orders: Number(row.n) };
  } catch (err) {
    await db?.close().catch(() => {});
    db = undefined;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    throw new BackupError(`${file} could not be restored: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await db?.close();
  }
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(path)) return true;
    return false;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** Writes a backup every `everyHours` into `dir`, keeping the newest `keep` (the BACKUP_* settings). */
export class BackupJob {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private db: Db,
    private options: { dir: string; everyHours: number; keep: number },
    private log: Logger,
  ) {}

  /** Schedules the first backup one interval from now. */
  start(): void {
    this.#schedule();
  }

  /** Takes one backup now (also what the timer runs). */
  async runOnce(): Promise<string> {
    const bytes = await snapshotDb(this.db, "schedule");
    const { file, removed } = await saveBackup(bytes, this.options.dir, this.options.keep);
    this.log.info("backup written", { file, bytes: bytes.length, removed });
    return file;
  }

  #schedule() {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .then(() => {})
        .catch((err) => this.log.error("scheduled backup failed", { error: String(err) }))
        .finally(() => this.#schedule());
    }, this.options.everyHours * 3_600_000);
  }

  /** Stops after the backup in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
