/** One line of a member's points history. */
export interface PointsLine {
  delta: number;
  reason: "earn" | "spend" | "spend_return" | "reverse" | "expire";
  expiresAt: Date | null;
}

/**
 * How many points expire now. Spending consumes the oldest points first, so what expires is what
 * is left of the batches whose expiry has passed: earned-and-expired minus everything consumed
 * and minus what already expired, never more than the balance.
 */
export function pointsToExpire(lines: PointsLine[], now: Date): number {
  const earnedExpired = lines
    .filter((l) => l.reason === "earn" && l.expiresAt !== null && l.expiresAt <= now)
    .reduce((n, l) => n + l.delta, 0);
  const consumed = -lines.filter((l) => l.reason === "spend" || l.reason === "spend_return" || l.reason === "reverse")
    .reduce((n, l) => n + l.delta, 0);
  const expired = -lines.filter((l) => l.reason === "expire").reduce((n, l) => n + l.delta, 0);
  const balance = lines.reduce((n, l) => n + l.delta, 0);
  return Math.max(0, Math.min(balance, earnedExpired - Math.max(0, consumed) - expired));
}
