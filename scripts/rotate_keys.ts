/**
 * `deno task rotate-keys`: seals every phone, address and ID number under ENCRYPTION_KEY_ID (values under
 * older key ids of ENCRYPTION_KEYS, and values still in clear from before migration 0018), in short batches
 * that a run stopped part-way resumes. Safe while the app runs on PostgreSQL. Embedded PGlite is held by
 * its one app: while it runs, restart it instead (it does the same in the background when it starts).
 */
import { parseSettings, SettingsError } from "../config.ts";
import { openDb } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { CryptoBox } from "../lib/crypto_box.ts";
import { withLocalKey } from "../lib/local_key.ts";
import { controlSocketPath } from "../services/backup.ts";
import { rotateKeys } from "../services/key_rotation.ts";

try {
  const settings = await withLocalKey(parseSettings(Deno.env.toObject()));
  if (!settings.DATABASE_URL) {
    const live = await Deno.connect({ transport: "unix", path: controlSocketPath(settings.DATA_DIR) })
      .then((c) => (c.close(), true), () => false);
    if (live) {
      console.error(
        `An app is running on ${settings.DATA_DIR}: restart it with the new settings; it re-encrypts in the background at start.`,
      );
      Deno.exit(1);
    }
  }
  const box = CryptoBox.fromSettings(settings);
  const db = await openDb({ databaseUrl: settings.DATABASE_URL, dataDir: settings.DATA_DIR });
  try {
    await migrate(db);
    let last = 0;
    const report = await rotateKeys(db, box, {
      progress: (table, done) => {
        if (done - last >= 1000) console.log(`${table}: ${(last = done)}`);
      },
    });
    console.log(
      `Sealed under key ${box.currentKeyId}: ${report.users} members, ${report.addresses} addresses, ` +
        `${report.orders} orders; ${report.failed} could not be opened; ${report.remaining} left.`,
    );
    if (report.remaining) {
      console.error(
        "Some values are not under the current key: a key id they were sealed with is not in ENCRYPTION_KEYS.",
      );
      Deno.exitCode = 1;
    }
  } finally {
    await db.close();
  }
} catch (err) {
  if (err instanceof SettingsError) {
    console.error(err.message);
    Deno.exit(2);
  }
  throw err;
}
