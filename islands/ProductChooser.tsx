import { useSignal } from "@preact/signals";

/** A product the chooser offers. */
export interface ChooserProduct {
  id: string;
  name: string;
  price: string;
  category: string;
  thumb: string;
}

/** Labels in the manager's language (`{n}` a count, `{title}` a product's name). */
export interface ProductChooserLabels {
  filter: string;
  chosen: string;
  none: string;
  upOf: string;
  downOf: string;
}

/** Props: the products offered, the ones chosen (in display order), the field name and the labels. */
export interface ProductChooserProps {
  [key: string]: unknown;
  name: string;
  products: ChooserProduct[];
  chosen: string[];
  max: number;
  labels: ProductChooserLabels;
  /** The id of the hint or error that describes the list. */
  describedBy?: string;
}

/**
 * The featured block's product picker: a checkbox per product, the chosen ones first in their display
 * order (which is the order the form posts them in). Without script it is that plain checkbox list; with
 * it, a filter box narrows the list, ticking moves a product to the end of the chosen ones, and ↑/↓
 * reorder them.
 */
export default function ProductChooser(props: ProductChooserProps) {
  const order = useSignal<string[]>(props.chosen);
  const query = useSignal("");
  const { labels } = props;
  const byId = new Map(props.products.map((p) => [p.id, p]));
  const chosen = order.value.filter((id) => byId.has(id));
  const chosenSet = new Set(chosen);
  const list = [...chosen.map((id) => byId.get(id)!), ...props.products.filter((p) => !chosenSet.has(p.id))];
  const q = query.value.trim().toLowerCase();
  const matches = (p: ChooserProduct) =>
    !q || chosenSet.has(p.id) || p.name.toLowerCase().includes(q) || p.category.toLowerCase().includes(q);
  const visible = list.filter(matches);
  const toggle = (id: string, on: boolean) => {
    order.value = on ? [...order.value.filter((x) => x !== id), id] : order.value.filter((x) => x !== id);
  };
  const move = (id: string, by: number) => {
    const next = chosen.slice();
    const at = next.indexOf(id);
    const to = at + by;
    if (at < 0 || to < 0 || to >= next.length) return;
    [next[at], next[to]] = [next[to], next[at]];
    order.value = next;
  };
  return (
    <div class="chooser" data-testid="product-chooser">
      <div class="chooser-bar">
        <input
          type="search"
          class="chooser-filter"
          placeholder={labels.filter}
          aria-label={labels.filter}
          value={query.value}
          onInput={(e) => (query.value = (e.target as HTMLInputElement).value)}
        />
        <span class="chooser-count" aria-live="polite">
          {labels.chosen.replace("{n}", String(chosen.length))}
        </span>
      </div>
      <ul class="chooser-list" aria-describedby={props.describedBy}>
        {visible.length === 0 && <li class="chooser-none">{labels.none}</li>}
        {visible.map((p) => {
          const on = chosenSet.has(p.id);
          const at = chosen.indexOf(p.id);
          return (
            <li key={p.id} class={on ? "chooser-item chosen" : "chooser-item"}>
              <label>
                <input
                  type="checkbox"
                  name={props.name}
                  value={p.id}
                  checked={on}
                  disabled={!on && chosen.length >= props.max}
                  onChange={(e) => toggle(p.id, (e.target as HTMLInputElement).checked)}
                />
                <img src={p.thumb} alt="" width={36} height={36} loading="lazy" decoding="async" />
                <span class="chooser-name">{p.name}</span>
                <span class="chooser-meta">{p.category} · ¥{p.price}</span>
              </label>
              {on && (
                <span class="chooser-move">
                  <button
                    type="button"
                    class="btn btn-ghost btn-sm"
                    disabled={at === 0}
                    aria-label={labels.upOf.replace("{title}", p.name)}
                    onClick={() => move(p.id, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="btn btn-ghost btn-sm"
                    disabled={at === chosen.length - 1}
                    aria-label={labels.downOf.replace("{title}", p.name)}
                    onClick={() => move(p.id, 1)}
                  >
                    ↓
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
