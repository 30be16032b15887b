import { encodeHex } from "./hex.ts";

/**
 * AES-256-GCM encryption of small secrets at rest (ID numbers). The key comes from the
 * environment (`ID_ENCRYPTION_KEY`, 64 hex characters); a fresh random 96-bit IV per value.
 * Stored form: `v1:<iv hex>:<ciphertext+tag hex>`.
 */
export class CryptoBox {
  private constructor(private key: CryptoKey) {}

  /** Builds a box from a 32-byte key in hex. */
  static async fromHex(hex: string): Promise<CryptoBox> {
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error("Cannot use encryption key: it must be 64 hex characters");
    const raw = new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
    return new CryptoBox(await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
  }

  /** Encrypts text. */
  async seal(text: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, this.key, new TextEncoder().encode(text));
    return `v1:${encodeHex(iv)}:${encodeHex(new Uint8Array(sealed))}`;
  }

  /** Decrypts what `seal` produced; throws if it was tampered with. */
  async open(stored: string): Promise<string> {
    const [version, ivHex, dataHex] = stored.split(":");
    if (version !== "v1" || !ivHex || !dataHex) throw new Error("Cannot decrypt: unknown format");
    const bytes = (hex: string) => new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(ivHex) }, this.key, bytes(dataHex));
    return new TextDecoder().decode(plain);
  }
}
