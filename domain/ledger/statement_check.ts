import { money, sum, toMoneyString } from "../money.ts";

/** The figures of a locked settlement statement (decimal strings), as closing a period wrote them. */
export interface StatementFigures {
  opening: string;
  credits: string;
  reversals: string;
  withdrawals: string;
  closing: string;
  lines: { kind: "commission" | "reversal" | "withdrawal"; amount: string }[];
}

/** What a reviewer checks on a statement; each difference is the amount it is off by ("0.00" when it holds). */
export interface StatementCheck {
  /** opening + credits − reversals − withdrawals − closing */
  balance: string;
  /** the lines' sum − (closing − opening) */
  lines: string;
  /** each kind's lines against its total: commissions − credits, reversals + reversal total, … */
  kinds: string;
  ok: boolean;
}

/**
 * Re-adds a statement from its own figures: the totals must carry the opening balance to the
 * closing one, and the lines must add up to the totals kind by kind. A locked statement that
 * fails any of these was changed after closing or closed wrongly.
 */
export function checkStatement(s: StatementFigures): StatementCheck {
  const opening = money(s.opening), closing = money(s.closing);
  const total = (kind: StatementFigures["lines"][number]["kind"]) =>
    sum(s.lines.filter((l) => l.kind === kind).map((l) => money(l.amount)));
  const balance = opening.plus(s.credits).minus(s.reversals).minus(s.withdrawals).minus(closing);
  const lines = sum(s.lines.map((l) => money(l.amount))).minus(closing.minus(opening));
  const kinds = total("commission").minus(s.credits).abs()
    .plus(total("reversal").plus(s.reversals).abs())
    .plus(total("withdrawal").plus(s.withdrawals).abs());
  return {
    balance: toMoneyString(balance),
    lines: toMoneyString(lines),
    kinds: toMoneyString(kinds),
    ok: balance.eq(0) && lines.eq(0) && kinds.eq(0),
  };
}
