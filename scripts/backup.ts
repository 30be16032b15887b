/**
 * `deno task backup`: writes a consistent snapshot of embedded PGlite (DATA_DIR) into BACKUP_DIR and keeps
 * the newest BACKUP_KEEP. The running app takes it (through its control socket) while it serves; when no app
 * runs on DATA_DIR, the directory is opened here. On PostgreSQL (DATABASE_URL) it points to pg_dump.
 */
import { parseSettings, SettingsError } from "../config.ts";
import { BackupError, saveBackup, snapshotDataDir } from "../services/backup.ts";

try {
  const settings = parseSettings(Deno.env.toObject(), { keys: false });
  if (settings.DATABASE_URL) {
    console.error("DATABASE_URL is set: back PostgreSQL up with pg_dump -Fc (see the README's Backups section).");
    Deno.exit(2);
  }
  if (settings.DATA_DIR.startsWith("memory://")) {
    console.error("DATA_DIR is memory://: there is nothing on disk to back up.");
    Deno.exit(2);
  }
  const { bytes, via } = await snapshotDataDir(settings.DATA_DIR);
  const { file, removed } = await saveBackup(bytes, settings.BACKUP_DIR, settings.BACKUP_KEEP);
  console.log(`${file} (${bytes.length} bytes, taken by ${via === "app" ? "the running app" : "this command"})`);
  for (const old of removed) console.log(`removed ${old} (BACKUP_KEEP=${settings.BACKUP_KEEP})`);
} catch (err) {
  if (err instanceof SettingsError || err instanceof BackupError) {
    console.error(err.message);
    Deno.exit(1);
  }
  throw err;
}
