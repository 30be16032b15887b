import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { SvgIcon } from "../components/SvgIcon.tsx";

/** One cart line as the page shows it (money as decimal strings, texts in the reader's language). */
export interface CartViewLine {
  skuId: string;
  productId: string;
  name: string;
  href: string;
  /** The SKU's specs as one label ("颜色：红 / 尺码：M"), or "". */
  specs: string;
  img: { src: string; srcset?: string; sizes?: string };
  /** What one unit costs this shopper now, and the list price when that is lower (else null). */
  unitPrice: string | null;
  listPrice: string | null;
  lineTotal: string | null;
  quantity: number;
  /** Most units the stepper offers (stock and the cart's limit). */
  max: number;
  /** On sale with stock: it can be ticked and checked out. */
  available: boolean;
  warning: string | null;
}

/** The ticked lines priced as checkout prices them. */
export interface CartSummary {
  count: number;
  units: number;
  subtotal: string;
  shipping: string;
  /** What the goods lack for free shipping, or null. */
  freeGap: string | null;
}

/** The cart page's data: lines, which are ticked, their price, and a notice about the last change. */
export interface CartModel {
  [key: string]: unknown;
  lines: CartViewLine[];
  selected: string[];
  summary: CartSummary;
  notice: string | null;
}

/** Texts in the reader's language; `{name}`, `{n}` and `{amount}` are filled in here. */
export interface CartLabels {
  selectAll: string;
  selectOf: string;
  quantityOf: string;
  decreaseOf: string;
  increaseOf: string;
  removeOf: string;
  remove: string;
  lineTotal: string;
  total: string;
  checkoutN: string;
  selectedN: string;
  shippingFree: string;
  shippingFee: string;
  freeGap: string;
  failed: string;
  /** Column heads of the wide layout. */
  colProduct: string;
  colPrice: string;
  colQuantity: string;
  colActions: string;
}

/** Props: the model, the form token, and labels; icons are SVG bodies from the server's registry. */
export interface CartViewProps {
  [key: string]: unknown;
  model: CartModel;
  csrf: string;
  labels: CartLabels;
  icons: { minus: string; plus: string; trash: string };
}

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));

/**
 * The cart: a line per SKU with a tick box, picture, specs, price, a −/+ stepper and its subtotal, and
 * the checkout bar (select all, the ticked lines' total, 结算). Every control is a plain form, so the
 * cart works without script (steppers and remove post to `/cart/set`; the tick boxes belong to the
 * checkout form, a GET to `/checkout`). Hydrated, the forms are sent in the background and the cart
 * re-renders from the JSON answer; ticking re-prices the selection from `/cart/summary`.
 */
export default function CartView(props: CartViewProps) {
  const { csrf, labels, icons } = props;
  const model = useSignal<CartModel>(props.model);
  const ticked = useSignal<string[]>(props.model.selected);
  const busy = useSignal(false);
  const hydrated = useSignal(false);
  const seq = useRef(0);
  useEffect(() => {
    hydrated.value = true;
  }, []);
  const m = model.value;
  const available = m.lines.filter((l) => l.available).map((l) => l.skuId);
  const allTicked = available.length > 0 && available.every((id) => ticked.value.includes(id));

  /** Applies an answer unless a newer request went out since. */
  async function load(request: Promise<Response>, n: number) {
    try {
      const res = await request;
      const next = await res.json() as CartModel;
      if (n !== seq.current || !Array.isArray(next?.lines)) return;
      // The last line went: the page's own empty state (with its way back to the shop).
      if (!next.lines.length) return location.assign("/cart");
      model.value = next;
      ticked.value = next.selected;
    } catch {
      if (n === seq.current) model.value = { ...model.value, notice: labels.failed };
    } finally {
      if (n === seq.current) busy.value = false;
    }
  }

  function send(form: HTMLFormElement) {
    const body = new URLSearchParams();
    for (const [k, v] of new FormData(form)) body.set(k, String(v));
    body.set("sel", ticked.value.join(","));
    const n = ++seq.current;
    busy.value = true;
    load(fetch(form.action, { method: "POST", body, headers: { accept: "application/json" } }), n);
  }

  function reprice(next: string[]) {
    ticked.value = next;
    const n = ++seq.current;
    load(
      fetch(`/cart/summary?sel=${encodeURIComponent(next.join(","))}`, { headers: { accept: "application/json" } }),
      n,
    );
  }

  const onSubmit = (e: Event) => {
    e.preventDefault();
    send(e.currentTarget as HTMLFormElement);
  };

  const onCheckout = (e: Event) => {
    if (!ticked.value.length) {
      e.preventDefault();
      return;
    }
    // Everything in the cart ticked: the plain checkout of the whole cart.
    if (m.lines.every((l) => ticked.value.includes(l.skuId))) {
      e.preventDefault();
      location.assign("/checkout");
    }
  };

  const lineForm = (l: CartViewLine, quantity: number | null, child: ComponentChildren, cls?: string) => (
    <form method="post" action="/cart/set" class={cls} onSubmit={onSubmit}>
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="productId" value={l.productId} />
      <input type="hidden" name="skuId" value={l.skuId} />
      {quantity !== null && <input type="hidden" name="quantity" value={String(quantity)} />}
      {child}
    </form>
  );

  return (
    <div class={hydrated.value ? "cart-view ready" : "cart-view"} aria-busy={busy.value ? "true" : undefined}>
      {m.notice && <div class="alert alert-info cart-notice" role="status" data-testid="cart-notice">{m.notice}</div>}
      <div class="cart-head" aria-hidden="true">
        <span />
        <span>{labels.colProduct}</span>
        <span>{labels.colPrice}</span>
        <span>{labels.colQuantity}</span>
        <span>{labels.lineTotal}</span>
        <span>{labels.colActions}</span>
      </div>
      <ul class="cart-list">
        {m.lines.map((l) => (
          <li key={l.skuId} class={l.available ? "cart-item" : "cart-item is-off"} data-testid="cart-line">
            <input
              type="checkbox"
              class="check"
              name="sel"
              value={l.skuId}
              form="cart-checkout"
              checked={l.available && ticked.value.includes(l.skuId)}
              disabled={!l.available}
              aria-label={fill(labels.selectOf, { name: l.name })}
              onChange={(e) => {
                const on = (e.currentTarget as HTMLInputElement).checked;
                reprice(
                  on ? [...ticked.value, l.skuId] : ticked.value.filter((id) =>
                    id !== l.skuId
                  ),
                );
              }}
            />
            <a href={l.href} class="cart-item-img" tabIndex={-1} aria-hidden="true">
              <img
                src={l.img.src}
                srcset={l.img.srcset}
                sizes={l.img.sizes}
                alt=""
                width={88}
                height={88}
                loading="lazy"
                decoding="async"
              />
            </a>
            <div class="cart-item-body">
              <a class="cart-item-name" href={l.href}>{l.name}</a>
              {l.specs && <span class="sku-specs" data-testid="cart-specs">{l.specs}</span>}
              {l.warning && <span class="badge badge-warn cart-item-warn">{l.warning}</span>}
              <div class="cart-item-foot">
                <span class="cart-item-price">
                  {l.unitPrice && <span class="price">¥{l.unitPrice}</span>}
                  {l.listPrice && <s class="price-old">¥{l.listPrice}</s>}
                </span>
                <div class="stepper" data-testid="stepper">
                  {lineForm(
                    l,
                    l.quantity - 1,
                    <button
                      type="submit"
                      class="stepper-btn"
                      aria-label={fill(labels.decreaseOf, { name: l.name })}
                      disabled={l.quantity <= 1}
                    >
                      <SvgIcon size={16} body={icons.minus} />
                    </button>,
                  )}
                  {lineForm(
                    l,
                    null,
                    <>
                      <label class="sr-only" for={`q-${l.skuId}`}>{fill(labels.quantityOf, { name: l.name })}</label>
                      <input
                        id={`q-${l.skuId}`}
                        class="stepper-input"
                        type="number"
                        name="quantity"
                        inputMode="numeric"
                        min="1"
                        max={String(Math.max(1, l.max))}
                        value={String(l.quantity)}
                        onChange={(e) => {
                          // A typed 0 or nothing is 1 (删除 removes a line); more than there is, the most.
                          const input = e.currentTarget as HTMLInputElement;
                          const n = Math.floor(Number(input.value));
                          const max = Math.max(1, l.max);
                          input.value = String(Number.isFinite(n) ? Math.min(max, Math.max(1, n)) : 1);
                          if (input.value !== String(l.quantity)) {
                            input.form?.requestSubmit();
                          }
                        }}
                      />
                    </>,
                  )}
                  {lineForm(
                    l,
                    l.quantity + 1,
                    <button
                      type="submit"
                      class="stepper-btn"
                      aria-label={fill(labels.increaseOf, { name: l.name })}
                      disabled={l.quantity >= l.max}
                    >
                      <SvgIcon size={16} body={icons.plus} />
                    </button>,
                  )}
                </div>
              </div>
              {l.lineTotal && (
                <p class="cart-item-total">
                  <span class="cart-item-total-label">{labels.lineTotal}</span>{" "}
                  <strong data-testid="line-total">¥{l.lineTotal}</strong>
                </p>
              )}
            </div>
            {lineForm(
              l,
              0,
              <button type="submit" class="cart-item-remove" aria-label={fill(labels.removeOf, { name: l.name })}>
                <SvgIcon size={16} body={icons.trash} />
                <span>{labels.remove}</span>
              </button>,
              "cart-item-del",
            )}
          </li>
        ))}
      </ul>
      <form id="cart-checkout" method="get" action="/checkout" class="cart-bar" onSubmit={onCheckout}>
        <input type="hidden" name="pick" value="1" />
        <label class="cart-all">
          <input
            type="checkbox"
            class="check"
            checked={allTicked}
            disabled={!hydrated.value || available.length === 0}
            data-testid="select-all"
            onChange={(e) => reprice((e.currentTarget as HTMLInputElement).checked ? available : [])}
          />
          <span>{labels.selectAll}</span>
        </label>
        <div class="cart-bar-sum" aria-live="polite">
          <p class="cart-bar-total">
            {labels.total} <strong class="price" data-testid="cart-total">¥{m.summary.subtotal}</strong>
          </p>
          <p class="cart-bar-note">
            {fill(labels.selectedN, { n: m.summary.units })} · {m.summary.shipping === "0.00"
              ? labels.shippingFree
              : fill(labels.shippingFee, { amount: m.summary.shipping })}
            {m.summary.freeGap && (
              <span class="cart-bar-gap">{fill(labels.freeGap, { amount: m.summary.freeGap })}</span>
            )}
          </p>
        </div>
        <button
          type="submit"
          class="btn btn-primary cart-bar-go"
          data-testid="checkout"
          disabled={m.summary.count === 0}
        >
          {fill(labels.checkoutN, { n: m.summary.count })}
        </button>
      </form>
    </div>
  );
}
