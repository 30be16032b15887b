/** Referral tree rules: codes, the three-tier closure, and the no-cycle rule. */

/** Distribution never pays more than this many tiers up the chain. */
export const MAX_TIERS = 3;

/** A paid tier of the referral chain: 1 is the buyer's referrer, and never more than three. */
export type Tier = 1 | 2 | 3;

/** The paid tiers, nearest first: 1 … `MAX_TIERS`. */
export const TIERS: readonly number[] = Array.from({ length: MAX_TIERS }, (_, i) => i + 1);

const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I/L

/** Formats random bytes (at least 8) as an 8-character referral code without ambiguous characters. */
export function referralCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new Error("Cannot make referral code: need 8 random bytes");
  let code = "";
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[bytes[i] % CODE_ALPHABET.length];
  return code;
}

/** Whether a string looks like a referral code (case-insensitive). */
export function isReferralCode(value: string): boolean {
  return /^[A-HJKMNP-Z2-9]{8}$/i.test(value);
}

/** A closure row: `ancestorId` is `depth` tiers above `descendantId`. */
export interface ClosureRow {
  ancestorId: string;
  descendantId: string;
  depth: number;
}

/**
 * The closure rows for a member bound under `uplineId`, given the upline's own ancestors
 * (nearest first). Only the first `MAX_TIERS` tiers are kept.
 */
export function closureRowsFor(memberId: string, uplineId: string | null, uplineAncestors: string[]): ClosureRow[] {
  if (!uplineId) return [];
  if (uplineId === memberId || uplineAncestors.includes(memberId)) {
    throw new Error("Cannot bind member: it would create a referral cycle");
  }
  return [uplineId, ...uplineAncestors].slice(0, MAX_TIERS).map((ancestorId, i) => ({
    ancestorId,
    descendantId: memberId,
    depth: i + 1,
  }));
}
