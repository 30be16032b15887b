import Big from "big.js";
import { decimalText, money, toMoneyString } from "../money.ts";
import { ratio } from "./figures.ts";

/**
 * One complete calendar month of a distributor's team (their downline at depth 1–3). Refunds are
 * attributed to the month the refunded order was paid in (as the team's daily sales figures are),
 * so a month's refund rate is the share of that month's sales that came back, whenever approved.
 */
export interface MonthFigures {
  /** Gross paid sales: the totals of the team's orders paid in the month. */
  sales: string;
  /** Approved refunds (items and shipping) of those same orders. */
  refunds: string;
}

/** The three tags, by the names the programme uses. */
export type TagName = "优质" | "潜力" | "预警";
/** Which rule gave a tag (the console shows the rule's text, in the viewer's language). */
export type TagRule = "quality" | "potential" | "warning";

/** A tag with the rule that gave it. */
export interface DistributorTag {
  tag: TagName;
  rule: TagRule;
}

/** A month's sales net of its refunds, as a money string. */
export function netSales(m: MonthFigures): string {
  return toMoneyString(money(m.sales).minus(money(m.refunds)));
}

/** A month's refund rate: refunds / gross paid sales, a 4-decimal ratio ("0.0000" without sales). */
export function refundRate(m: MonthFigures): string {
  return ratio(m.refunds, m.sales);
}

/**
 * Tags from the last three complete months (oldest first); sales are net of refunds, refund rates
 * are refunds over gross sales:
 * 优质 = at least ¥5,000 of sales in each month and every month's refund rate under 5 %;
 * 潜力 = sales grew month on month by at least 10 % twice running;
 * 预警 = sales of the last month fell by 20 % or more against the month before, or its refund rate is over 15 %.
 */
export function distributorTags(months: MonthFigures[]): DistributorTag[] {
  if (months.length < 3) return [];
  const last = months.slice(-3);
  const net = last.map(netSales);
  const sales = net.map((s) => money(s));
  const rates = last.map((m) => new Big(refundRate(m)));
  const tags: DistributorTag[] = [];
  if (sales.every((s) => s.gte(5000)) && rates.every((r) => r.lt(0.05))) {
    tags.push({ tag: "优质", rule: "quality" });
  }
  if (sales[0].gt(0) && sales[1].gte(sales[0].times(1.1)) && sales[2].gte(sales[1].times(1.1))) {
    tags.push({ tag: "潜力", rule: "potential" });
  }
  if (salesDropAlert(net[1], net[2]) || rates[2].gt(0.15)) {
    tags.push({ tag: "预警", rule: "warning" });
  }
  return tags;
}

/** Whether sales dropped by 20 % or more against a previous figure (never when the previous is zero). */
export function salesDropAlert(previous: string, current: string): boolean {
  const prev = money(previous);
  return prev.gt(0) && money(current).lte(prev.times(0.8));
}

/** A half-open range of business days, `from` included, `to` excluded (YYYY-MM-DD). */
export interface DayRange {
  from: string;
  to: string;
}

/** The calendar windows the tags and the drop alert read, for one business day. */
export interface DistributorPeriods {
  /** First days of the three complete months before this one (oldest first), then of this month. */
  months: [string, string, string, string];
  /** The drop alert's like-for-like comparison: this month's complete days and last month's same days. */
  drop: { days: number; current: DayRange; previous: DayRange };
}

/** The fewest complete days of this month before the drop alert compares anything. */
export const DROP_MIN_DAYS = 7;

function parseDay(day: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`Cannot parse day: "${day}" is not YYYY-MM-DD`);
  return [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
}

function dayText(year: number, month: number, date: number): string {
  return new Date(Date.UTC(year, month, date)).toISOString().slice(0, 10);
}

/**
 * The windows for `today` (the shop's business day, YYYY-MM-DD). Tags read the three complete
 * calendar months before this one. The drop alert compares like with like: this month's complete
 * days (the 1st up to yesterday) with the same days of last month (the 1st up to the same date,
 * or all of last month when it is shorter).
 */
export function distributorPeriods(today: string): DistributorPeriods {
  const [y, m, d] = parseDay(today);
  const start = (back: number) => dayText(y, m - back, 1);
  const days = d - 1;
  const previousTo = [dayText(y, m - 1, 1 + days), start(0)].sort()[0];
  return {
    months: [start(3), start(2), start(1), start(0)],
    drop: { days, current: { from: start(0), to: today }, previous: { from: start(1), to: previousTo } },
  };
}

/** This month's complete days of sales against the same days of last month (money strings, net of refunds). */
export interface DropComparison {
  days: number;
  previous: string;
  current: string;
}

/** A drop alert: the comparison and the change as a 4-decimal ratio ("-0.2500" = down 25 %). */
export interface SalesDrop extends DropComparison {
  change: string;
}

/**
 * The month-on-month drop alert: once at least {@link DROP_MIN_DAYS} days of this month are
 * complete, sales over those days fell by 20 % or more against the same days of last month.
 */
export function salesDrop(c: DropComparison): SalesDrop | null {
  if (c.days < DROP_MIN_DAYS || !salesDropAlert(c.previous, c.current)) return null;
  const change = money(c.current).minus(money(c.previous)).div(money(c.previous));
  return { ...c, change: decimalText(change, 4) };
}

/** How far sales fell, as a percentage with one decimal ("25.0" for a change of -0.2500). */
export function dropPercent(drop: SalesDrop): string {
  return decimalText(new Big(drop.change).times(-100), 1);
}
