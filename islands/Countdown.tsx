import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { countdownParts, flashPhase, twoDigits } from "../domain/catalogue/home.ts";

/** Labels in the visitor's language (`{n}` is a number of days). */
export interface CountdownLabels {
  startsIn: string;
  endsIn: string;
  ended: string;
  days: string;
}

/** Props: the sale's absolute times, and what the page showed before the clock was read. */
export interface CountdownProps {
  [key: string]: unknown;
  startsAt: string;
  endsAt: string;
  /** The text rendered on the server ("12/06 20:00 开抢"): right whatever the time, so a kept page stays right. */
  initial: string;
  /**
   * The server's clock when the page was made (ISO), for a page made per request (the product page): then
   * the server renders the countdown itself, and the browser counts on from that clock, not its own.
   */
  now?: string;
  labels: CountdownLabels;
}

/**
 * A flash sale's live countdown (hh:mm:ss, days before them when more than one): to its start while it has
 * not started, then to its end, then "ended". Computed in the browser from the absolute times each second,
 * so a page kept in the server's cache (or in the browser's) still counts right; the server renders only
 * the fixed start or end time, unless it passes its clock (`now`), which the countdown then follows.
 */
export default function Countdown({ startsAt, endsAt, initial, now: serverNow, labels }: CountdownProps) {
  const now = useSignal<number | null>(serverNow ? Date.parse(serverNow) : null);
  useEffect(() => {
    // The server's clock at render minus the browser's now (0 without one): the count follows the shop's clock.
    const skew = serverNow ? Date.parse(serverNow) - Date.now() : 0;
    const tick = () => (now.value = Date.now() + skew);
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, []);
  if (now.value === null) return <span class="countdown">{initial}</span>;
  const phase = flashPhase(startsAt, endsAt, now.value);
  if (phase === "ended") return <span class="countdown countdown-ended">{labels.ended}</span>;
  const { days, hours, minutes, seconds } = countdownParts(phase === "upcoming" ? startsAt : endsAt, now.value);
  return (
    <span class={`countdown countdown-${phase}`} role="timer" data-testid="countdown">
      <span class="countdown-label">{phase === "upcoming" ? labels.startsIn : labels.endsIn}</span>
      {days > 0 && <span class="countdown-days">{labels.days.replace("{n}", String(days))}</span>}
      <span class="countdown-digits">
        <b>{twoDigits(hours)}</b>:<b>{twoDigits(minutes)}</b>:<b>{twoDigits(seconds)}</b>
      </span>
    </span>
  );
}
