import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { availableValues, type SkuAxis, skuOfChoice } from "../domain/catalogue/skus.ts";

/** A SKU as the picker shows it. */
export interface PickerSku {
  id: string;
  specs: Record<string, string>;
  price: string;
  memberPrice: string;
  stock: number;
  lowStock: boolean;
  imageUrl: string | null;
}

/** Labels in the visitor's language (`{n}` is a number, `{price}` a price). */
export interface SkuPickerLabels {
  choose: string;
  soldOut: string;
  lowStock: string;
  inStock: string;
  stock: string;
  quantity: string;
  add: string;
  from: string;
}

/** Props: the product's axes and SKUs, and the labels. */
export interface SkuPickerProps {
  [key: string]: unknown;
  axes: SkuAxis[];
  skus: PickerSku[];
  labels: SkuPickerLabels;
}

/**
 * The SKU picker inside the product page's add-to-cart form: one row of choices per axis (颜色, 尺码 …);
 * a value no SKU in stock has together with the other choices is disabled; once every axis is chosen the
 * price, stock and picture are the SKU's and its id goes with the form. Without script the choices post as
 * `spec.<axis>` fields and the server finds the SKU.
 */
export default function SkuPicker(props: SkuPickerProps) {
  const chosen = useSignal<Record<string, string>>({});
  const hydrated = useSignal(false);
  useEffect(() => {
    hydrated.value = true;
  }, []);
  const { axes, skus, labels } = props;
  const open = availableValues(axes, skus, chosen.value);
  const sku = skuOfChoice(axes, skus, chosen.value);
  useEffect(() => {
    const hero = document.querySelector<HTMLImageElement>(".product-hero");
    if (!hero) return;
    hero.dataset.src ??= hero.src;
    hero.dataset.srcset ??= hero.getAttribute("srcset") ?? "";
    if (sku?.imageUrl) {
      hero.removeAttribute("srcset"); // the SKU's own picture, not the product's thumbnails
      hero.src = sku.imageUrl;
    } else {
      if (hero.dataset.srcset) hero.setAttribute("srcset", hero.dataset.srcset);
      hero.src = hero.dataset.src;
    }
  }, [sku?.id]);
  const prices = skus.map((s) => Number(s.memberPrice));
  const low = Math.min(...prices);
  const range = prices.some((p) => p !== low);
  const pick = (axis: string, value: string) => {
    const next = { ...chosen.value };
    if (next[axis] === value) delete next[axis];
    else next[axis] = value;
    chosen.value = next;
  };
  return (
    <div class="sku-picker" data-testid="sku-picker">
      {axes.map((axis) => (
        <fieldset key={axis.name} class="sku-axis">
          <legend>{axis.name}</legend>
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
        </fieldset>
      ))}
      <p class="price-row" aria-live="polite">
        {sku
          ? (
            <>
              <span class="price" data-testid="sku-price">¥{sku.memberPrice}</span>
              {sku.memberPrice !== sku.price && <s class="price-old">¥{sku.price}</s>}{" "}
              <span data-testid="sku-stock">
                {labels.stock}: {sku.stock <= 0
                  ? <span class="badge badge-muted">{labels.soldOut}</span>
                  : sku.lowStock
                  ? <span class="badge badge-warn">{labels.lowStock.replace("{n}", String(sku.stock))}</span>
                  : <strong>{labels.inStock}</strong>}
              </span>
            </>
          )
          : (
            <span class="muted">
              {range ? labels.from.replace("{price}", low.toFixed(2)) : `¥${low.toFixed(2)}`} · {labels.choose}
            </span>
          )}
      </p>
      <input type="hidden" name="skuId" value={sku?.id ?? ""} />
      <label class="sr-only" for="qty">{labels.quantity}</label>
      <input
        id="qty"
        class="qty"
        type="number"
        name="quantity"
        min="1"
        max={String(sku && sku.lowStock ? Math.max(1, Math.min(99, sku.stock)) : 99)}
        value="1"
      />
      <button
        class="btn btn-primary"
        type="submit"
        data-testid="add-to-cart"
        disabled={hydrated.value && (!sku || sku.stock <= 0)}
      >
        {labels.add}
      </button>
    </div>
  );
}
