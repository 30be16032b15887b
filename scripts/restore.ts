/**
 * `deno task restore FILE [DATA_DIR]`: fills a new or empty PGlite data directory (default: the DATA_DIR
 * setting) from a file that `deno task backup` wrote. It never overwrites a database.
 */
import { parseSettings, SettingsError } from "../config.ts";
import { BackupError, restoreBackup } from "../services/backup.ts";

const [file, dir] = Deno.args;
if (!file) {
  console.error("usage: deno task restore FILE [DATA_DIR]");
  Deno.exit(2);
}
try {
  const dataDir = dir ?? parseSettings(Deno.env.toObject(), { keys: false }).DATA_DIR;
  if (dataDir.startsWith("memory://")) throw new BackupError("restore into a directory, not memory://");
  const { orders } = await restoreBackup(file, dataDir);
  console.log(`${file} restored into ${dataDir} (${orders} orders); start the app with DATA_DIR=${dataDir}`);
} catch (err) {
  if (err instanceof SettingsError || err instanceof BackupError) {
    console.error(err.message);
    Deno.exit(1);
  }
  throw err;
}
