import { hash, verify } from "@node-rs/argon2";

/** Argon2id parameters (OWASP's 19 MiB, 2 iterations, 1 lane). */
const ARGON2ID = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with Argon2id. */
export async function hashPassword(password: string): Promise<string> {
  return await hash(password, ARGON2ID);
}

/** Checks a password against an Argon2id hash; false for a malformed hash. */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the time of one verification so unknown accounts answer as slowly as known ones. */
export async function verifyDummy(password: string): Promise<void> {
  dummy ??= hashPassword("dummy-password-for-timing");
  await verifyPassword(await dummy, password);
}
