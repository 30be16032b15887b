/**
 * The countdown to an unpaid order's pay deadline, as the order page shows it ("14:59", "1:02:03").
 * Pure: the caller passes the deadline and the moment it counts from.
 */

/** What is left until a deadline: whole seconds (0 once it passed) and the clock text. */
export interface Countdown {
  /** Whole seconds left, rounded up (a deadline 0.2 s away still shows 0:01); 0 once it has passed. */
  seconds: number;
  /** `m:ss` below an hour, `h:mm:ss` from an hour on. */
  text: string;
  /** Whether the deadline has passed. */
  over: boolean;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The countdown from `now` to `deadline` (instants in milliseconds since the epoch). */
export function countdown(deadline: number, now: number): Countdown {
  const left = Number.isFinite(deadline) && Number.isFinite(now) ? deadline - now : 0;
  const seconds = left > 0 ? Math.ceil(left / 1000) : 0;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return { seconds, text: h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`, over: seconds === 0 };
}
