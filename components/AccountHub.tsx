import type { UserRow } from "../db/users_repo.ts";
import type { Translator } from "../i18n/messages.ts";
import type { AccountHub as Hub, HubOrderTab } from "../services/account_hub.ts";
import { shopDay } from "../domain/shop_time.ts";
import { Icon } from "./Icon.tsx";
import type { IconName } from "./icons.ts";

const ORDER_ENTRIES: [HubOrderTab, IconName][] = [
  ["pending_payment", "creditCard"],
  ["to_ship", "package"],
  ["to_receive", "truck"],
  ["after_sales", "afterSales"],
];

/** A tile of the hub: an icon, a label and a count badge, linking somewhere. */
function Tile(
  { href, icon, label, count, testId }: {
    href: string;
    icon: IconName;
    label: string;
    count?: number;
    testId?: string;
  },
) {
  return (
    <a class="hub-tile" href={href} data-testid={testId}>
      <span class="hub-tile-icon">
        <Icon name={icon} size={24} />
        {count ? <span class="hub-count" aria-hidden="true">{count > 99 ? "99+" : count}</span> : null}
      </span>
      <span>{label}</span>
      {count ? <span class="sr-only">({count})</span> : null}
    </a>
  );
}

/** A row linking on: icon, title, a line of detail and a chevron. */
function EntryRow(
  { href, icon, title, detail, badge, testId }: {
    href: string;
    icon: IconName;
    title: string;
    detail?: string;
    badge?: string;
    testId?: string;
  },
) {
  return (
    <a class="hub-row" href={href} data-testid={testId}>
      <span class="hub-row-icon">
        <Icon name={icon} size={20} />
      </span>
      <span class="hub-row-text">
        <strong>{title}</strong>
        {detail && <span class="muted">{detail}</span>}
      </span>
      {badge && <span class="badge">{badge}</span>}
      <Icon name="chevronRight" size={18} class="hub-chevron" />
    </a>
  );
}

/**
 * 我的: the member's card (level, points, coupons, spend), 我的订单 by status with counts linking to the
 * order tabs, the distribution centre (or the application), services (addresses, coupons, points,
 * invitations, data export), the member's facts and their points history.
 */
export function AccountHub(
  { t, user, hub, link, nextLevel }: {
    t: Translator;
    user: UserRow;
    hub: Hub;
    /** The member's referral link. */
    link: string;
    /** The next member level and the spend still needed for it. */
    nextLevel: string | null;
  },
) {
  const app = hub.application;
  return (
    <section class="account-hub">
      <h1 class="sr-only">{t("account.title")}</h1>
      <div class="hub-head">
        <div class="hub-who">
          <div class="avatar" aria-hidden="true">{user.name.slice(0, 1)}</div>
          <div>
            <h2>{user.name}</h2>
            <p>
              <span class="hub-level">
                <Icon name="star" size={12} />
                {t(`level.${user.level}`)}
              </span>
              <span class="hub-role">{t(`role.${user.role}`)}</span>
            </p>
          </div>
        </div>
        <div class="hub-stats">
          <a href="#points">
            <strong data-testid="points">{hub.points}</strong>
            <span>{t("account.points")}</span>
          </a>
          <a href="/account/coupons">
            <strong data-testid="coupon-count">{hub.coupons}</strong>
            <span>{t("hub.coupons")}</span>
          </a>
          <a href="#profile">
            <strong>¥{hub.spent}</strong>
            <span>{t("account.spent")}</span>
          </a>
        </div>
        {nextLevel && <p class="hub-next">{nextLevel}</p>}
      </div>

      <div class="card hub-card hub-orders">
        <div class="hub-card-head">
          <h2>{t("orders.title")}</h2>
          <a href="/orders" class="hub-more">
            {t("hub.allOrders")}
            <Icon name="chevronRight" size={16} />
          </a>
        </div>
        <nav class="hub-tiles" aria-label={t("orders.tabs")}>
          {ORDER_ENTRIES.map(([tab, icon]) => (
            <Tile
              key={tab}
              href={`/orders?tab=${tab}`}
              icon={icon}
              label={t(`orders.tab.${tab}`)}
              count={hub.counts[tab]}
              testId={`hub-${tab}`}
            />
          ))}
        </nav>
      </div>

      <div class="card hub-card hub-distribution">
        {hub.distributor
          ? (
            <EntryRow
              href="/distributor"
              icon="network"
              title={t("nav.distributor")}
              detail={t("hub.distributorDetail")}
              testId="hub-distributor"
            />
          )
          : (
            <EntryRow
              href="/account/apply"
              icon="userPlus"
              title={t("hub.apply")}
              detail={app?.status === "rejected" ? t("hub.applyAgain") : t("hub.applyDetail")}
              badge={app?.status === "pending" ? t("apply.status.pending") : undefined}
              testId="hub-apply"
            />
          )}
      </div>

      <div class="card hub-card">
        <h2 class="hub-card-title">{t("hub.services")}</h2>
        <nav class="hub-tiles hub-services" aria-label={t("hub.services")}>
          <Tile href="/account/addresses" icon="mapPin" label={t("addr.title")} testId="hub-addresses" />
          <Tile href="/account/coupons" icon="ticket" label={t("account.coupons")} />
          <Tile href="#points" icon="coins" label={t("account.pointsHistory")} />
          <Tile href="#profile" icon="share" label={t("hub.invite")} />
        </nav>
        {hub.defaultAddress && (
          <a class="hub-address" href="/account/addresses">
            <Icon name="mapPin" size={16} />
            <span>
              {t("hub.shipTo", { name: hub.defaultAddress.name, city: hub.defaultAddress.city })}
            </span>
          </a>
        )}
      </div>

      <dl class="card facts" id="profile">
        <dt>{t("account.referralCode")}</dt>
        <dd>
          <code class="code">{user.referral_code}</code>
        </dd>
        <dt>{t("account.referralLink")}</dt>
        <dd>
          <input class="copy-field" readOnly value={link} aria-label={t("account.referralLink")} />
        </dd>
        <dt>{t("account.upline")}</dt>
        <dd>{hub.uplineName ?? t("account.none")}</dd>
        <dt>{t("hub.email")}</dt>
        <dd class="hub-email">{user.email}</dd>
        <dt>{t("account.joined")}</dt>
        <dd>{shopDay(user.created_at)}</dd>
      </dl>

      <div class="card hub-points" id="points">
        <h2>{t("account.pointsHistory")}</h2>
        {hub.history.length === 0 ? <p class="muted">{t("hub.noPoints")}</p> : (
          <table>
            <caption class="sr-only">{t("account.pointsHistoryCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("account.pointsDate")}</th>
                <th scope="col">{t("account.pointsReason")}</th>
                <th scope="col" class="num">{t("account.pointsDelta")}</th>
              </tr>
            </thead>
            <tbody>
              {hub.history.map((h) => (
                <tr key={h.id}>
                  <td>{shopDay(h.at)}</td>
                  <td>{t(`points.${h.reason}`)}</td>
                  <td class={h.delta < 0 ? "minus" : "plus"}>{h.delta > 0 ? `+${h.delta}` : h.delta}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <div class="card hub-export">
        <p class="muted">{t("account.exportHint")}</p>
        <a class="btn btn-ghost" href="/api/me/export" download data-testid="export-link">
          <Icon name="download" size={18} />
          {t("account.export")}
        </a>
      </div>
    </section>
  );
}
