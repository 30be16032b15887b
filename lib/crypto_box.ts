import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { Buffer } from "node:buffer";

/**
 * The built-in development key. Only ever used when `DEV_ENCRYPTION_KEY=allow` (the demo shop, tests,
 * benchmarks): anyone who reads this file can decrypt what it sealed.
 */
export const DEV_ENCRYPTION_KEY = "6465762d6f6e6c792d69642d6b65792d646f2d6e6f742d7573652d696e2d7072";

/** The key id of the built-in development key. */
export const DEV_KEY_ID = "dev";
/** The key id of the key the app generates and keeps beside its data when none is configured. */
export const LOCAL_KEY_ID = "local";
/** The key id that `ID_ENCRYPTION_KEY` (the single key of earlier versions) gets. */
export const LEGACY_KEY_ID = "legacy";

/** One named 256-bit key. */
export interface KeySpec {
  id: string;
  /** 64 hex characters. */
  hex: string;
}

/** What a keyed look-up hash is of (each kind has its own derived key). */
export type LookupKind = "phone" | "name";

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;

function fromHex(hex: string): Uint8Array {
  return new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

/** Digits only: `+86 138-1234-1234` and `8613812341234` look up the same member. */
export function normalisePhone(phone: string): string {
  return phone.replace(/\D/g, "");
}

/** Trimmed, inner spaces collapsed, lower case: how recipient names are compared. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * AES-256-GCM encryption of personal data at rest (phones, addresses, ID numbers) under a ring of named
 * keys: new values are sealed with the current key, values under any key of the ring open. Stored form:
 * `v2:<key id>:<iv hex>:<ciphertext+tag hex>` with a fresh random 96-bit IV per value; values of earlier
 * versions (`v1:<iv>:<data>`) open with the `legacy` key (or the development key when it is allowed).
 * Look-ups (a member by phone, an order by recipient) use keyed hashes: HMAC-SHA256 with a key derived
 * from each ring key by HKDF-SHA256, so the database never holds anything a dictionary attack could use
 * without the key. All operations are synchronous (node:crypto).
 */
export class CryptoBox {
  private readonly keys = new Map<string, Uint8Array>();
  private readonly lookupKeys = new Map<string, Uint8Array>();
  /** The key id new values are sealed with. */
  readonly currentKeyId: string;

  /** A ring of keys; `currentKeyId` must be one of them. */
  constructor(keys: KeySpec[], currentKeyId: string) {
    for (const k of keys) {
      if (!KEY_ID.test(k.id)) {
        throw new Error(`Cannot use encryption key id ${JSON.stringify(k.id)}: use letters, digits, - or _`);
      }
      if (!HEX64.test(k.hex)) throw new Error(`Cannot use encryption key ${k.id}: it must be 64 hex characters`);
      if (this.keys.has(k.id)) throw new Error(`Cannot use encryption key ${k.id}: the id is given twice`);
      const raw = fromHex(k.hex);
      this.keys.set(k.id, raw);
      this.lookupKeys.set(
        k.id,
        new Uint8Array(hkdfSync("sha256", raw, new TextEncoder().encode("sharemall-pii"), "lookup-hash-v1", 32)),
      );
    }
    if (!this.keys.has(currentKeyId)) throw new Error(`Cannot use encryption key id ${currentKeyId}: no such key`);
    this.currentKeyId = currentKeyId;
  }

  /** A box with one key (id `legacy`), as earlier versions had. */
  static fromHex(hex: string): Promise<CryptoBox> {
    try {
      return Promise.resolve(new CryptoBox([{ id: LEGACY_KEY_ID, hex }], LEGACY_KEY_ID));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The box of validated settings (`encryptionKeys`, `encryptionKeyId` of `parseSettings`). */
  static fromSettings(settings: { encryptionKeys: KeySpec[]; encryptionKeyId: string }): CryptoBox {
    return new CryptoBox(settings.encryptionKeys, settings.encryptionKeyId);
  }

  /** A box with only the development key (unit tests and tools that never see real data). */
  static development(): CryptoBox {
    return new CryptoBox([{ id: DEV_KEY_ID, hex: DEV_ENCRYPTION_KEY }], DEV_KEY_ID);
  }

  /** The ids of every key in the ring. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Whether new values are sealed with the built-in development key. */
  get usesDevelopmentKey(): boolean {
    return this.currentKeyId === DEV_KEY_ID;
  }

  /** The prefix of values sealed with the current key (`v2:<id>:`). */
  get currentPrefix(): string {
    return `v2:${this.currentKeyId}:`;
  }

  /** Encrypts text with the current key. */
  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.currentKeyId)!, iv);
    const data = Buffer.concat([cipher.update(text, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v2:${this.currentKeyId}:${iv.toString("hex")}:${data.toString("hex")}`;
  }

  /** Encrypts a value as JSON. */
  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  /** Decrypts what `seal` produced under any key of the ring; throws if the key is unknown or it was tampered with. */
  open(stored: string): string {
    const parts = stored.split(":");
    let kid: string, ivHex: string | undefined, dataHex: string | undefined;
    if (parts[0] === "v2" && parts.length === 4) [, kid, ivHex, dataHex] = parts;
    else if (parts[0] === "v1" && parts.length === 3) {
      [, ivHex, dataHex] = parts;
      kid = this.keys.has(LEGACY_KEY_ID) ? LEGACY_KEY_ID : DEV_KEY_ID;
    } else throw new Error("Cannot decrypt: unknown format");
    const key = this.keys.get(kid);
    if (!key) throw new Error(`Cannot decrypt: key ${kid} is not in ENCRYPTION_KEYS`);
    if (!/^[0-9a-f]{24}$/i.test(ivHex!) || !/^(?:[0-9a-f]{2}){16,}$/i.test(dataHex!)) {
      throw new Error("Cannot decrypt: unknown format");
    }
    const data = Buffer.from(dataHex!, "hex");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivHex!, "hex"));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
  }

  /** Decrypts a value sealed with `sealJson`. */
  openJson<T>(stored: string): T {
    return JSON.parse(this.open(stored)) as T;
  }

  /** Whether a stored value is sealed with the current key (else key rotation re-seals it). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(this.currentPrefix);
  }

  /** The keyed look-up hash of a value under the current key (hex); phones and names are normalised first. */
  lookupHash(kind: LookupKind, value: string): string {
    return this.hashWith(this.currentKeyId, kind, value);
  }

  /** The look-up hashes of a value under every key of the ring (a search matches rows not yet rotated). */
  lookupHashes(kind: LookupKind, value: string): string[] {
    return this.keyIds.map((kid) => this.hashWith(kid, kind, value));
  }

  private hashWith(kid: string, kind: LookupKind, value: string): string {
    const text = kind === "phone" ? normalisePhone(value) : normaliseName(value);
    return createHmac("sha256", this.lookupKeys.get(kid)!).update(`${kind}\u0000${text}`).digest("hex");
  }
}
