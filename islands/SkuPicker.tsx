import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { availableValues, type SkuAxis, skuOfChoice } from "../domain/catalogue/skus.ts";
import { SvgIcon } from "../components/SvgIcon.tsx";
import Countdown, { type CountdownLabels } from "./Countdown.tsx";

/** A SKU as the picker shows it; `share` is what the signed-in distributor earns on one unit ("分享赚"). */
export interface PickerSku {
  id: string;
  specs: Record<string, string>;
  price: string;
  memberPrice: string;
  stock: number;
  lowStock: boolean;
  imageUrl: string | null;
  share?: string;
}

/** Labels in the visitor's language (`{n}` is a number, `{price}`/`{amount}` money, `{axes}` axis names). */
export interface SkuPickerLabels {
  choose: string;
  chooseAxes: string;
  chosen: string;
  soldOut: string;
  offShelf: string;
  lowStock: string;
  inStock: string;
  stock: string;
  quantity: string;
  decrease: string;
  increase: string;
  maxQty: string;
  add: string;
  buyNow: string;
  cart: string;
  from: string;
  memberPrice: string;
}

/** The share tools' labels (`{amount}` is money). */
export interface ShareLabels {
  shareEarn: string;
  shareEarnFrom: string;
  shareTitle: string;
  shareHint: string;
  sharePoster: string;
  posterAlt: string;
  savePoster: string;
  shareLink: string;
  copy: string;
  copied: string;
  moreTools: string;
}

/** The distributor's share tools for this product: their poster, their link, the promotion page, labels. */
export interface ShareTools {
  posterUrl: string;
  link: string;
  toolsUrl: string;
  labels: ShareLabels;
}

/** Props: the product's axes and SKUs, what can be done, the flash sale, share tools, labels and icons. */
export interface SkuPickerProps {
  [key: string]: unknown;
  axes: SkuAxis[];
  skus: PickerSku[];
  /** `open` to buy; otherwise why not. */
  state: "open" | "soldOut" | "offShelf";
  /**
   * The flash sale running now: its price, its end (ISO, and worded in shop time), its label, the server's
   * clock at render (the countdown counts from it) and the countdown's labels.
   */
  flash: {
    price: string;
    endsAt: string;
    ends: string;
    label: string;
    now: string;
    countdown: CountdownLabels;
  } | null;
  share: ShareTools | null;
  labels: SkuPickerLabels;
  /** SVG bodies from the server's icon registry. */
  icons: { minus: string; plus: string; cart: string; share: string; copy: string; zap: string; download: string };
}

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));

/** Compares two decimal strings with two places ("9.90" < "10.00"): by length, then by digits. */
const byAmount = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Lowest and highest of decimal strings (money is compared as text, never as a JS number). */
function span(values: string[]): [string, string] {
  const sorted = [...values].sort(byAmount);
  return [sorted[0], sorted[sorted.length - 1]];
}

/**
 * The product page's buy box, inside its add-to-cart form: price (or the flash-sale price with a countdown
 * to its end, in the shop's clock), "分享赚 ¥x"
 * with the share poster for distributors, one row of choices per axis (颜色, 尺码 …; values no SKU in stock
 * has with the other choices are disabled), the quantity stepper, and the buy bar (加入购物车 / 立即购买;
 * fixed above the tab bar on phones). Once every axis is chosen the price, stock and share are the SKU's,
 * its id goes with the form and the gallery shows its picture. Without script the choices post as
 * `spec.<axis>` fields and the server finds the SKU; 立即购买 posts to `/cart/buy`.
 */
export default function SkuPicker(props: SkuPickerProps) {
  const { axes, skus, labels, icons, flash, share, state } = props;
  const chosen = useSignal<Record<string, string>>({});
  const quantity = useSignal(1);
  const hydrated = useSignal(false);
  const needChoice = useSignal(false);
  const copied = useSignal(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    hydrated.value = true;
  }, []);
  const open = availableValues(axes, skus, chosen.value);
  const sku = skuOfChoice(axes, skus, chosen.value);
  const max = sku ? Math.max(1, Math.min(99, sku.stock)) : 99;
  useEffect(() => {
    if (quantity.value > max) quantity.value = max;
    if (hydrated.value) dispatchEvent(new CustomEvent("sku-picked", { detail: { skuId: sku?.id ?? null } }));
  }, [sku?.id]);

  const pick = (axis: string, value: string) => {
    const next = { ...chosen.value };
    if (next[axis] === value) delete next[axis];
    else next[axis] = value;
    chosen.value = next;
    needChoice.value = false;
  };
  const onBuy = (e: Event) => {
    if (sku) return;
    e.preventDefault();
    needChoice.value = true;
    const picker = root.current?.querySelector<HTMLElement>(".sku-picker");
    picker?.scrollIntoView({ behavior: "smooth", block: "center" });
    const missing = axes.find((a) => !chosen.value[a.name]);
    root.current?.querySelector<HTMLInputElement>(
      `fieldset[data-axis="${CSS.escape(missing?.name ?? "")}"] input:not(:disabled)`,
    )
      ?.focus({ preventScroll: true });
  };

  const prices = (s: PickerSku) => flash ? flash.price : s.memberPrice;
  const [low, high] = span(skus.map(prices));
  const old = sku ? (flash ? sku.price : sku.memberPrice !== sku.price ? sku.price : null) : null;
  const shares = skus.flatMap((s) => (s.share ? [s.share] : []));
  const [shareLow, shareHigh] = shares.length ? span(shares) : ["", ""];
  const sl = share?.labels;
  const shareText = !sl
    ? null
    : sku?.share
    ? fill(sl.shareEarn, { amount: sku.share })
    : shares.length && !sku
    ? fill(shareLow === shareHigh ? sl.shareEarn : sl.shareEarnFrom, { amount: shareLow })
    : null;
  const missing = axes.filter((a) => !chosen.value[a.name]).map((a) => a.name);
  const canBuy = state === "open" && (!sku || sku.stock > 0);

  return (
    <div ref={root} class={hydrated.value ? "buy-box ready" : "buy-box"} data-testid="sku-picker">
      <div class={flash ? "price-panel is-flash" : "price-panel"}>
        {flash && (
          <p class="flash-head">
            <span class="flash-tag">
              <SvgIcon body={icons.zap} size={14} />
              {flash.label}
            </span>
            <Countdown
              startsAt={flash.now}
              endsAt={flash.endsAt}
              initial={flash.ends}
              now={flash.now}
              labels={flash.countdown}
            />
            <time class="flash-ends" dateTime={flash.endsAt}>{flash.ends}</time>
          </p>
        )}
        <p class="price-line" aria-live="polite">
          {sku
            ? <span class="price-now" data-testid="sku-price">¥{prices(sku)}</span>
            : <span class="price-now">{low === high ? `¥${low}` : fill(labels.from, { price: low })}</span>}
          {old && <s class="price-old">¥{old}</s>}
          {!flash && sku && sku.memberPrice !== sku.price && <span class="price-tag">{labels.memberPrice}</span>}
        </p>
      </div>
      {share && sl && shareText && (
        <details class="share-strip" data-testid="share">
          <summary>
            <span class="share-earn" data-testid="share-earn">{shareText}</span>
            <span class="share-go">
              <SvgIcon body={icons.share} size={16} />
              {sl.sharePoster}
            </span>
          </summary>
          <div class="share-sheet">
            <p class="share-title">{sl.shareTitle}</p>
            <p class="muted share-hint">{sl.shareHint}</p>
            <div class="share-body">
              <img
                class="share-poster"
                src={share.posterUrl}
                alt={sl.posterAlt}
                width={180}
                height={320}
                loading="lazy"
                decoding="async"
              />
              <div class="share-actions">
                <a class="btn btn-primary btn-sm" href={share.posterUrl} download="" data-testid="save-poster">
                  <SvgIcon body={icons.download} size={16} />
                  {sl.savePoster}
                </a>
                <label class="share-link-label" for="share-link">{sl.shareLink}</label>
                <input id="share-link" class="copy-field" readOnly value={share.link} />
                {hydrated.value && (
                  <button
                    type="button"
                    class="btn btn-ghost btn-sm"
                    onClick={async () => {
                      await navigator.clipboard?.writeText(share.link).catch(() => {});
                      copied.value = true;
                    }}
                  >
                    <SvgIcon body={icons.copy} size={16} />
                    {copied.value ? sl.copied : sl.copy}
                  </button>
                )}
                <a class="share-more" href={share.toolsUrl}>{sl.moreTools}</a>
              </div>
            </div>
          </div>
        </details>
      )}
      {axes.length > 0 && (
        <div class="sku-picker">
          {axes.map((axis) => (
            <fieldset key={axis.name} class="sku-axis" data-axis={axis.name}>
              <legend>{axis.name}</legend>
              <div class="sku-values">
                {axis.values.map((value) => {
                  const disabled = hydrated.value && !open[axis.name].has(value) && chosen.value[axis.name] !== value;
                  return (
                    <label
                      key={value}
                      class={["sku-value", chosen.value[axis.name] === value && "chosen"].filter(Boolean).join(" ")}
                    >
                      <input
                        type="radio"
                        name={`spec.${axis.name}`}
                        value={value}
                        checked={chosen.value[axis.name] === value}
                        disabled={disabled}
                        onClick={() => pick(axis.name, value)}
                      />
                      <span>{value}</span>
                    </label>
                  );
                })}
              </div>
            </fieldset>
          ))}
        </div>
      )}
      <p
        id="choose"
        class={needChoice.value ? "sku-hint shown" : "sku-hint"}
        role={needChoice.value ? "alert" : undefined}
        data-testid="choose-hint"
      >
        {missing.length ? fill(labels.chooseAxes, { axes: missing.join(" / ") }) : labels.choose}
      </p>
      <div class="buy-qty" id="buy-qty">
        {state === "open" && (
          <>
            <label for="qty">{labels.quantity}</label>
            <div class="stepper">
              <button
                type="button"
                class="stepper-btn qty-btn"
                aria-label={labels.decrease}
                aria-controls="qty"
                disabled={quantity.value <= 1}
                onClick={() => (quantity.value = Math.max(1, quantity.value - 1))}
              >
                <SvgIcon body={icons.minus} size={16} />
              </button>
              <input
                id="qty"
                class="stepper-input"
                type="number"
                name="quantity"
                inputMode="numeric"
                min="1"
                max={String(max)}
                value={String(quantity.value)}
                onChange={(e) => {
                  const n = Math.floor(Number((e.currentTarget as HTMLInputElement).value));
                  quantity.value = Number.isFinite(n) ? Math.min(max, Math.max(1, n)) : 1;
                  (e.currentTarget as HTMLInputElement).value = String(quantity.value);
                }}
              />
              <button
                type="button"
                class="stepper-btn qty-btn"
                aria-label={labels.increase}
                aria-controls="qty"
                disabled={quantity.value >= max}
                onClick={() => (quantity.value = Math.min(max, quantity.value + 1))}
              >
                <SvgIcon body={icons.plus} size={16} />
              </button>
            </div>
          </>
        )}
        <span class="buy-stock" data-testid="sku-stock">
          {state === "offShelf"
            ? <span class="badge badge-muted">{labels.offShelf}</span>
            : state === "soldOut" || (sku && sku.stock <= 0)
            ? <span class="badge badge-muted">{labels.soldOut}</span>
            : sku?.lowStock
            ? <span class="badge badge-warn">{fill(labels.lowStock, { n: sku.stock })}</span>
            : sku
            ? (
              <>
                <strong>{labels.inStock}</strong> · {fill(labels.maxQty, { n: max })}
              </>
            )
            : <strong>{labels.inStock}</strong>}
        </span>
      </div>
      <input type="hidden" name="skuId" value={sku?.id ?? ""} />
      <div class="buy-bar" data-testid="buy-bar">
        <a class="buy-bar-icon" href="/cart">
          <SvgIcon body={icons.cart} size={22} />
          <span>{labels.cart}</span>
        </a>
        <div class="buy-bar-btns">
          <button
            class="btn buy-add"
            type="submit"
            data-testid="add-to-cart"
            disabled={!canBuy}
            onClick={onBuy}
          >
            {labels.add}
          </button>
          <button
            class="btn buy-now"
            type="submit"
            formAction="/cart/buy"
            data-testid="buy-now"
            disabled={!canBuy}
            onClick={onBuy}
          >
            {state === "open" ? labels.buyNow : state === "offShelf" ? labels.offShelf : labels.soldOut}
          </button>
        </div>
      </div>
    </div>
  );
}
