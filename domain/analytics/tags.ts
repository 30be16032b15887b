import Big from "big.js";

/** One month of a distributor's figures (oldest first in the list). */
export interface MonthFigures {
  sales: string;
  refunds: string;
}

/** A tag with the rule that gave it, in plain words. */
export interface DistributorTag {
  tag: "优质" | "潜力" | "预警";
  rule: string;
}

function refundRate(m: MonthFigures): Big {
  const sales = new Big(m.sales);
  return sales.gt(0) ? new Big(m.refunds).div(sales) : new Big(0);
}

/**
 * Tags from the last three months (oldest first): 优质 = steady sales of at least ¥5,000 a month
 * with refunds under 5 %; 潜力 = sales grew month on month by at least 10 % twice; 预警 = sales
 * fell by 20 % or more in the last month, or refunds over 15 % of sales.
 */
export function distributorTags(months: MonthFigures[]): DistributorTag[] {
  if (months.length < 3) return [];
  const [a, b, c] = months.slice(-3);
  const sales = [a, b, c].map((m) => new Big(m.sales));
  const tags: DistributorTag[] = [];
  const rates = [a, b, c].map(refundRate);
  if (sales.every((s) => s.gte(5000)) && rates.every((r) => r.lt(0.05))) {
    tags.push({ tag: "优质", rule: "3 个月每月销售 ≥ ¥5,000 且退款率 < 5%" });
  }
  if (sales[0].gt(0) && sales[1].gte(sales[0].times(1.1)) && sales[2].gte(sales[1].times(1.1))) {
    tags.push({ tag: "潜力", rule: "连续两个月销售环比增长 ≥ 10%" });
  }
  if (salesDropAlert(b.sales, c.sales) || rates[2].gt(0.15)) {
    tags.push({ tag: "预警", rule: "本月销售环比下降 ≥ 20% 或退款率 > 15%" });
  }
  return tags;
}

/** Whether month sales dropped by 20 % or more against the previous month. */
export function salesDropAlert(previous: string, current: string): boolean {
  const prev = new Big(previous);
  return prev.gt(0) && new Big(current).lte(prev.times(0.8));
}
