import { defineMessages } from "./define.ts";

/** Messages of notifications and live alerts. */
export default defineMessages({
  zh: {
    "notify.withdrawal_paid.title": "提现已到账",
    "notify.withdrawal_paid.body": "¥{net} 已转入你的收款账户",
    "notify.commission_released.title": "佣金已到账",
    /** Stored before arrivals cited the order number (kept so that those notifications still render). */
    "notify.commission_released.body": "¥{amount} · 订单 {orderId}",
    "notify.commission_released.order": "¥{amount} 已可提现 · 订单 {number}",
    "notify.sales_drop.title": "分销员销售下滑：{name}",
    "notify.sales_drop.body": "本月前 {days} 天团队销售 ¥{current}，上月同期 ¥{previous}（-{percent}%）。",
    "notify.rank_change.title": "等级变更：{rank}",
    "notify.rank_change.promoted": "近 30 天团队销售 ¥{sales}，活跃直属顾客 {customers} 位",
    "notify.rank_change.demoted": "团队已连续 {days} 天没有销售",
    "notify.application.approved": "分销申请已通过",
    "notify.application.rejected": "分销申请未通过",
    "alerts.title": "通知",
    "alerts.none": "暂无通知。",
    "alerts.markRead": "全部标为已读",
    "alerts.important": "重要",
    "alerts.lowStock": "团队热销商品库存不足",
    "alerts.stockLeft": "剩余 {n} 件",
    "notify.login_guessing.title": "有人在尝试登录你的账户",
    "notify.login_guessing.body":
      "{minutes} 分钟内已有 {failures} 次密码错误。来自你登录过的设备不受影响；如果不是你本人，请更换一个强密码。",
  },
  en: {
    "notify.withdrawal_paid.title": "Withdrawal paid",
    "notify.withdrawal_paid.body": "¥{net} was sent to your payout account",
    "notify.commission_released.title": "Commission released",
    "notify.commission_released.body": "¥{amount} · order {orderId}",
    "notify.commission_released.order": "¥{amount} is now available · order {number}",
    "notify.sales_drop.title": "Sales drop: {name}",
    "notify.sales_drop.body":
      "First {days} days of this month: ¥{current} against ¥{previous} in the same days last month (-{percent}%).",
    "notify.rank_change.title": "Rank changed: {rank}",
    "notify.rank_change.promoted": "Team sales ¥{sales} and {customers} active direct customers in 30 days",
    "notify.rank_change.demoted": "No team sales for {days} days",
    "notify.application.approved": "Distributor application approved",
    "notify.application.rejected": "Distributor application not approved",
    "alerts.title": "Alerts",
    "alerts.none": "No alerts.",
    "alerts.markRead": "Mark all as read",
    "alerts.important": "Important",
    "alerts.lowStock": "Low stock on your team's best sellers",
    "alerts.stockLeft": "{n} left",
    "notify.login_guessing.title": "Someone is trying to sign in to your account",
    "notify.login_guessing.body":
      "{failures} wrong passwords in {minutes} minutes. Devices you signed in on before are not affected; if it was not you, choose a strong password.",
  },
});
