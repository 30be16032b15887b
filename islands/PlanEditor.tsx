import { useSignal } from "@preact/signals";
import { checkCompliance, type CommissionPlan } from "../domain/commission/plan.ts";

/** Props: the plan in force and the labels. */
export interface PlanEditorProps {
  [key: string]: unknown;
  plan: CommissionPlan;
  labels: Record<string, string>;
}

interface Simulation {
  orders: number;
  sales: string;
  payout: string;
  payoutShare: string;
  actualPayout: string;
}

/**
 * The commission plan editor: the compliance guard's checks update as the manager types (the
 * same pure function the server enforces), and the what-if simulator runs the draft over the
 * last 30 days before it is published.
 */
export default function PlanEditor({ plan, labels: l }: PlanEditorProps) {
  const draft = useSignal<CommissionPlan>(plan);
  const simulation = useSignal<Simulation | null>(null);
  const message = useSignal<{ kind: "ok" | "error"; text: string } | null>(null);
  const busy = useSignal(false);
  const d = draft.value;
  const checks = checkCompliance(d);
  const set = (patch: Partial<CommissionPlan>) => (draft.value = { ...draft.peek(), ...patch });
  const setRate = (i: number, rate: string) => {
    const tiers = [...draft.peek().tiers];
    tiers[i] = { rate };
    set({ tiers: tiers.filter((t, j) => j < 3 || t.rate !== "") });
  };
  const body = () => ({
    tiers: draft.peek().tiers.filter((t) => t.rate !== ""),
    base: d.base,
    eligibility: d.eligibility,
    selfPurchase: d.selfPurchase,
    holdDays: d.holdDays,
    capRate: d.capRate,
    signUpFee: d.signUpFee,
    headcountBonus: d.headcountBonus,
  });
  const send = async (path: string, method: string, payload: unknown) => {
    busy.value = true;
    try {
      const res = await fetch(path, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(json?.error?.message ?? res.statusText);
      return json;
    } finally {
      busy.value = false;
    }
  };
  const simulate = async () => {
    message.value = null;
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    try {
      const json = await send("/api/admin/commission-plan/simulate", "POST", {
        from: from.toISOString(),
        to: to.toISOString(),
        plan: body(),
      });
      simulation.value = json.simulation;
    } catch (err) {
      message.value = { kind: "error", text: String((err as Error).message) };
    }
  };
  const publish = async () => {
    message.value = null;
    try {
      const json = await send("/api/admin/commission-plan", "PUT", body());
      draft.value = json.plan;
      message.value = { kind: "ok", text: l.published.replace("{version}", String(json.plan.version)) };
    } catch (err) {
      message.value = { kind: "error", text: String((err as Error).message) };
    }
  };
  const tierInputs = [0, 1, 2, 3].map((i) => d.tiers[i]?.rate ?? "");
  return (
    <div class="plan-editor stack">
      <form class="card form" onSubmit={(e) => e.preventDefault()}>
        <p class="muted">{l.version.replace("{version}", String(d.version))}</p>
        <fieldset>
          <legend>{l.tiers}</legend>
          {tierInputs.map((rate, i) => (
            <div class="field" key={i}>
              <label for={`tier-${i}`}>{l.tier.replace("{n}", String(i + 1))}</label>
              <input
                id={`tier-${i}`}
                inputMode="decimal"
                value={rate}
                placeholder="0.00"
                onInput={(e) => setRate(i, e.currentTarget.value)}
              />
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for="plan-base">{l.base}</label>
          <select
            id="plan-base"
            value={d.base}
            onChange={(e) => set({ base: e.currentTarget.value as CommissionPlan["base"] })}
          >
            <option value="paid_amount">{l.paidAmount}</option>
            <option value="gross_profit">{l.grossProfit}</option>
          </select>
        </div>
        <div class="field">
          <label for="plan-eligibility">{l.eligibility}</label>
          <select
            id="plan-eligibility"
            value={d.eligibility}
            onChange={(e) => set({ eligibility: e.currentTarget.value as CommissionPlan["eligibility"] })}
          >
            <option value="everyone">{l.everyone}</option>
            <option value="application">{l.application}</option>
            <option value="spend_threshold">{l.spendThreshold}</option>
          </select>
        </div>
        <div class="field">
          <label>
            <input
              type="checkbox"
              checked={d.selfPurchase}
              onChange={(e) => set({ selfPurchase: e.currentTarget.checked })}
            />{" "}
            {l.selfPurchase}
          </label>
        </div>
        <div class="field">
          <label for="plan-hold">{l.holdDays}</label>
          <input
            id="plan-hold"
            type="number"
            min="0"
            max="90"
            value={String(d.holdDays)}
            onInput={(e) => set({ holdDays: Number(e.currentTarget.value) || 0 })}
          />
        </div>
        <div class="field">
          <label for="plan-cap">{l.capRate}</label>
          <input
            id="plan-cap"
            inputMode="decimal"
            value={d.capRate}
            onInput={(e) => set({ capRate: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="plan-headcount">{l.headcountBonus}</label>
          <input
            id="plan-headcount"
            inputMode="decimal"
            value={d.headcountBonus}
            onInput={(e) => set({ headcountBonus: e.currentTarget.value })}
          />
        </div>
      </form>
      <section class="card" aria-live="polite">
        <h2>{l.checks}</h2>
        <ul class="checks" data-testid="checks">
          {checks.map((c) => (
            <li key={c.id} class={c.passed ? "check-pass" : "check-fail"}>
              <span aria-hidden="true">{c.passed ? "✓" : "✗"}</span> {c.description}
              {!c.passed && <strong class="field-error">{c.reason}</strong>}
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>{l.simulator}</h2>
        {simulation.value && (
          <dl class="breakdown" data-testid="simulation">
            <dt>{l.orders}</dt>
            <dd>{simulation.value.orders}</dd>
            <dt>{l.sales}</dt>
            <dd>¥{simulation.value.sales}</dd>
            <dt>{l.payoutDraft}</dt>
            <dd>¥{simulation.value.payout}</dd>
            <dt>{l.payoutActual}</dt>
            <dd>¥{simulation.value.actualPayout}</dd>
            <dt>{l.share}</dt>
            <dd>{(Number(simulation.value.payoutShare) * 100).toFixed(2)}%</dd>
          </dl>
        )}
        <div class="actions">
          <button class="btn btn-ghost" type="button" onClick={simulate} disabled={busy.value}>{l.simulate}</button>
          <button
            class="btn btn-primary"
            type="button"
            onClick={publish}
            disabled={busy.value || checks.some((c) => !c.passed)}
          >
            {l.publish}
          </button>
        </div>
        {message.value && (
          <p class={message.value.kind === "ok" ? "alert" : "alert alert-error"} role="status">{message.value.text}</p>
        )}
      </section>
    </div>
  );
}
