import { join } from "node:path";
import { type Settings, SettingsError } from "../config.ts";
import { LOCAL_KEY_ID } from "./crypto_box.ts";

/** Where the generated key is kept: beside the data, readable by the app's user only. */
export function localKeyPath(dataDir: string): string {
  return join(dataDir, "encryption.key");
}

function randomHex(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Fills the key ring when no key was configured (`settings.localEncryptionKey`): reads the key kept in
 * `<DATA_DIR>/encryption.key`, or generates it on the first start (several instances starting together on
 * one data folder agree on the first one written). Embedded PGlite in memory gets a key for this run only,
 * as its data lives no longer; PostgreSQL with `DATA_DIR=memory://` has nowhere to keep a key and is refused.
 * Returns the settings unchanged when keys were configured.
 */
export async function withLocalKey(settings: Settings): Promise<Settings & { localKeyCreated?: string }> {
  if (!settings.localEncryptionKey || settings.encryptionKeys.length) return settings;
  const ring = (hex: string) => ({
    ...settings,
    encryptionKeys: [{ id: LOCAL_KEY_ID, hex }],
    encryptionKeyId: LOCAL_KEY_ID,
  });
  if (settings.DATA_DIR.startsWith("memory://")) {
    if (settings.DATABASE_URL) {
      throw new SettingsError(
        "Invalid setting ENCRYPTION_KEYS: no key to encrypt personal data with, and DATA_DIR=memory:// has no place " +
          "to keep a generated one; set ENCRYPTION_KEYS=<id>:<64 hex> (openssl rand -hex 32)",
      );
    }
    return ring(randomHex());
  }
  const path = localKeyPath(settings.DATA_DIR);
  const read = async () => {
    const hex = (await Deno.readTextFile(path)).trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) {
      throw new SettingsError(`Invalid key file ${path}: it must hold 64 hex characters`);
    }
    return hex.toLowerCase();
  };
  try {
    return ring(await read());
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  await Deno.mkdir(settings.DATA_DIR, { recursive: true });
  try {
    await Deno.writeTextFile(path, `${randomHex()}\n`, { createNew: true, mode: 0o600 });
    return { ...ring(await read()), localKeyCreated: path };
  } catch (err) {
    if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
  }
  // Another instance is writing it: wait briefly for the whole key.
  for (let attempt = 0;; attempt++) {
    try {
      return ring(await read());
    } catch (err) {
      if (attempt >= 20 || !(err instanceof SettingsError)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
