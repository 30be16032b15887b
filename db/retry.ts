/**
 * A bounded retry for whole use-cases that lost a race inside PostgreSQL: a serialization failure
 * (SQLSTATE 40001) or a deadlock (40P01) rolls the transaction back, so running the use-case again
 * is safe when it is idempotent (natural keys, idempotency keys). The lock order of LOCK_ORDER.md
 * makes deadlocks not expected at all; this is the safety net, and every retry is counted.
 */

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]);

/** Retries so far in this process, by SQLSTATE (the bench and the logs read them). */
export const retryCounts: Record<string, number> = {};

/** Whether an error is a serialization failure or a deadlock. */
export function isRetryable(err: unknown): boolean {
  return RETRYABLE.has(String((err as { code?: unknown })?.code ?? ""));
}

/** Options of `withRetry`. */
export interface RetryOptions {
  /** Attempts in all (first try included); default 5. */
  attempts?: number;
  /** Called before each retry (for logging). */
  onRetry?: (info: { code: string; attempt: number; name: string }) => void;
  /** Names the use-case in the log. */
  name?: string;
}

/** Global hook for logging retries (main.ts sets it to the app's logger). */
export let onRetryDefault: RetryOptions["onRetry"] = undefined;

/** Sets the process-wide retry logger. */
export function setRetryLogger(fn: RetryOptions["onRetry"]): void {
  onRetryDefault = fn;
}

/**
 * Runs `fn` and, when it fails with 40001 or 40P01, runs it again after a short random pause
 * (full jitter, growing from 5 ms), at most `attempts` times in all.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err) || attempt >= attempts) throw err;
      const code = String((err as { code: string }).code);
      retryCounts[code] = (retryCounts[code] ?? 0) + 1;
      (options.onRetry ?? onRetryDefault)?.({ code, attempt, name: options.name ?? "use-case" });
      await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));
    }
  }
}

/** Total retries so far in this process. */
export function totalRetries(): number {
  return Object.values(retryCounts).reduce((a, b) => a + b, 0);
}
