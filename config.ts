import { z } from "zod";
import { parseTrustProxy, type TrustProxy } from "./lib/proxy.ts";

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
  ID_ENCRYPTION_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (a 256-bit key)").optional(),
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
  /** The AES-256-GCM key for ID numbers at rest; a fixed development key when unset (with a warning). */
  idEncryptionKey: string;
  /** Whether the sandbox payment provider (and `/sandbox/*`) is live. */
  paymentSandbox: boolean;
  /** The parsed TRUST_PROXY. */
  trustProxy: TrustProxy;
};

/** The development key for ID numbers, used only when ID_ENCRYPTION_KEY is unset. */
export const DEV_ID_KEY = "6465762d6f6e6c792d69642d6b65792d646f2d6e6f742d7573652d696e2d7072";

/** Thrown when a setting is invalid; its message is the one line printed at start. */
export class SettingsError extends Error {}

/**
 * Parses settings from an environment map. Unknown keys are ignored; empty values count as unset.
 * Throws `SettingsError` naming the first bad setting.
 */
export function parseSettings(env: Record<string, string | undefined>): Settings {
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
  return {
    ...result.data,
    paymentSandboxSecret: result.data.PAYMENT_SANDBOX_SECRET ?? "dev-sandbox-secret",
    idEncryptionKey: result.data.ID_ENCRYPTION_KEY ?? DEV_ID_KEY,
    paymentSandbox: (result.data.PAYMENT_SANDBOX ?? result.data.DEMO_DATA) === "on",
    trustProxy: parseTrustProxy(result.data.TRUST_PROXY) as TrustProxy,
  };
}
