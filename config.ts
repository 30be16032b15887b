import { z } from "zod";
import { parseTrustProxy, type TrustProxy } from "./lib/proxy.ts";
import { DEV_ENCRYPTION_KEY, DEV_KEY_ID, type KeySpec, LEGACY_KEY_ID, LOCAL_KEY_ID } from "./lib/crypto_box.ts";

/** Settings read from the environment, as the API contract lists them. */
export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DEMO_DATA: z.enum(["on", "off"]).default("on"),
  ADMIN_EMAIL: z.email().default("admin@example.com"),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  PAYMENT_SANDBOX_SECRET: z.string().min(1).optional(),
  /** The single key of earlier versions (ID numbers); it joins the key ring as key id `legacy`. */
  ID_ENCRYPTION_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (a 256-bit key)").optional(),
  /** The key ring for personal data at rest: `id:64hex` entries separated by commas. */
  ENCRYPTION_KEYS: z.string().trim().refine((v) => typeof parseKeyList(v) !== "string", {
    error: (issue) => parseKeyList(String(issue.input)) as string,
  }).optional(),
  /** The key id new values are sealed with (one of ENCRYPTION_KEYS, or `legacy`). */
  ENCRYPTION_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be a key id (letters, digits, - or _)").optional(),
  /** `allow` lets the app run with the built-in development key; unset follows DEMO_DATA. */
  DEV_ENCRYPTION_KEY: z.enum(["allow", "deny"]).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** The sandbox payment provider and its pages; unset follows DEMO_DATA (a demo shop can be paid, a real one not). */
  PAYMENT_SANDBOX: z.enum(["on", "off"]).optional(),
  /** Which peers may speak for the client through X-Forwarded-For/-Proto/-Host: off, on (the immediate peer) or a list. */
  TRUST_PROXY: z.string().trim().refine((v) => !(parseTrustProxy(v) instanceof Error), {
    error: (issue) => (parseTrustProxy(String(issue.input)) as Error).message,
  }).default("off"),
  /** Where backups of embedded PGlite go (`deno task backup` and the scheduled ones). */
  BACKUP_DIR: z.string().min(1).default("./backups"),
  /** Hours between scheduled backups of embedded PGlite; 0 turns them off. */
  BACKUP_EVERY_HOURS: z.coerce.number().min(0).max(24 * 7 * 3, "must be at most 504 (three weeks)").default(0),
  /** How many backup files to keep in BACKUP_DIR; older ones are deleted after each new one. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
});

/** Validated settings plus values derived from them. */
export type Settings = z.infer<typeof settingsSchema> & {
  paymentSandboxSecret: string;
  /** The key ring for personal data at rest (ENCRYPTION_KEYS, ID_ENCRYPTION_KEY as `legacy`, the development key when allowed). */
  encryptionKeys: KeySpec[];
  /** The key id new values are sealed with. */
  encryptionKeyId: string;
  /** Whether the built-in development key may be used (DEV_ENCRYPTION_KEY). */
  devEncryptionKey: boolean;
  /**
   * No key was configured and the development key is not allowed: the app generates one key and keeps it
   * beside its data (`lib/local_key.ts` resolves it before anything is sealed).
   */
  localEncryptionKey: boolean;
  /** Whether the sandbox payment provider (and `/sandbox/*`) is live. */
  paymentSandbox: boolean;
  /** The parsed TRUST_PROXY. */
  trustProxy: TrustProxy;
};

/** Parses ENCRYPTION_KEYS (`id:64hex,id:64hex`); a string is the reason it is invalid. */
export function parseKeyList(value: string): KeySpec[] | string {
  const keys: KeySpec[] = [];
  for (const entry of value.split(",").map((e) => e.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,32}):([0-9a-fA-F]{64})$/.exec(entry);
    if (!m) return `each entry must be id:64hex (got ${JSON.stringify(entry.replace(/:.*/, ":…"))})`;
    if (m[1] === DEV_KEY_ID || m[1] === LEGACY_KEY_ID || m[1] === LOCAL_KEY_ID) return `the key id ${m[1]} is reserved`;
    if (keys.some((k) => k.id === m[1])) return `the key id ${m[1]} is given twice`;
    keys.push({ id: m[1], hex: m[2].toLowerCase() });
  }
  if (!keys.length) return "give at least one id:64hex entry";
  return keys;
}

/** The key ring and current key id from the settings, or the one-line reason the app must not start. */
function keyRing(
  data: z.infer<typeof settingsSchema>,
): { keys: KeySpec[]; current: string; allowDev: boolean; local: boolean } | SettingsError {
  const allowDev = (data.DEV_ENCRYPTION_KEY ?? (data.DEMO_DATA === "on" ? "allow" : "deny")) === "allow";
  const listed = data.ENCRYPTION_KEYS ? parseKeyList(data.ENCRYPTION_KEYS) as KeySpec[] : [];
  const keys = [...listed];
  if (data.ID_ENCRYPTION_KEY) keys.push({ id: LEGACY_KEY_ID, hex: data.ID_ENCRYPTION_KEY.toLowerCase() });
  const dev = keys.find((k) => k.hex === DEV_ENCRYPTION_KEY);
  if (!allowDev && dev) {
    return new SettingsError(
      `Invalid setting ${dev.id === LEGACY_KEY_ID ? "ID_ENCRYPTION_KEY" : "ENCRYPTION_KEYS"}: ` +
        "it is the built-in development key; generate one (openssl rand -hex 32) or set DEV_ENCRYPTION_KEY=allow",
    );
  }
  // No key and no development key: a key generated once and kept beside the data (never one from the source).
  if (!keys.length && !allowDev) {
    if (data.ENCRYPTION_KEY_ID && data.ENCRYPTION_KEY_ID !== LOCAL_KEY_ID) {
      return new SettingsError(
        `Invalid setting ENCRYPTION_KEY_ID: no key ${data.ENCRYPTION_KEY_ID} in ENCRYPTION_KEYS`,
      );
    }
    return { keys: [], current: LOCAL_KEY_ID, allowDev, local: true };
  }
  const current = data.ENCRYPTION_KEY_ID ??
    (listed.length === 1 ? listed[0].id : keys.length === 1 ? keys[0].id : keys.length === 0 ? DEV_KEY_ID : undefined);
  if (!current) {
    return new SettingsError("Invalid setting ENCRYPTION_KEY_ID: required when ENCRYPTION_KEYS holds several keys");
  }
  // With DEV_ENCRYPTION_KEY=allow the development key stays in the ring, so values it sealed still open and rotate.
  if (allowDev && !dev) keys.push({ id: DEV_KEY_ID, hex: DEV_ENCRYPTION_KEY });
  if (!keys.some((k) => k.id === current)) {
    return new SettingsError(`Invalid setting ENCRYPTION_KEY_ID: no key ${current} in ENCRYPTION_KEYS`);
  }
  return { keys, current, allowDev, local: false };
}

/** Thrown when a setting is invalid; its message is the one line printed at start. */
export class SettingsError extends Error {}

/**
 * Parses settings from an environment map. Unknown keys are ignored; empty values count as unset.
 * Throws `SettingsError` naming the first bad setting, also when the built-in development key is configured
 * and DEV_ENCRYPTION_KEY does not allow it. With no key at all, `localEncryptionKey` is set and the key ring is
 * empty until `withLocalKey` fills it. Tools that never read personal data (backup, restore) pass
 * `{ keys: false }` and get the development ring instead.
 */
export function parseSettings(env: Record<string, string | undefined>, options: { keys?: boolean } = {}): Settings {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") cleaned[key] = value;
  }
  const result = settingsSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? "settings");
    throw new SettingsError(`Invalid setting ${name}: ${issue.message} (got ${JSON.stringify(cleaned[name] ?? "")})`);
  }
  const ring = keyRing(options.keys === false ? { ...result.data, DEV_ENCRYPTION_KEY: "allow" } : result.data);
  if (ring instanceof SettingsError) throw ring;
  return {
    ...result.data,
    paymentSandboxSecret: result.data.PAYMENT_SANDBOX_SECRET ?? "dev-sandbox-secret",
    encryptionKeys: ring.keys,
    encryptionKeyId: ring.current,
    devEncryptionKey: ring.allowDev,
    localEncryptionKey: ring.local,
    paymentSandbox: (result.data.PAYMENT_SANDBOX ?? result.data.DEMO_DATA) === "on",
    trustProxy: parseTrustProxy(result.data.TRUST_PROXY) as TrustProxy,
  };
}
