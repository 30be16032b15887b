import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { ComponentChildren } from "preact";
import Big from "big.js";
import { roundTo } from "../domain/money.ts";
import { checkCompliance, type CommissionPlan, type ComplianceCheck } from "../domain/commission/plan.ts";
import { planDraftSchema } from "../domain/commission/plan_input.ts";

/** The `plan.*` message keys the editor shows (the page passes each translated, without the prefix). */
export const PLAN_LABELS = [
  "version",
  "draft",
  "tiers",
  "tier",
  "rules",
  "base",
  "paidAmount",
  "grossProfit",
  "eligibility",
  "everyone",
  "application",
  "spendThreshold",
  "spendThresholdAmount",
  "spendThresholdHint",
  "selfPurchase",
  "holdDays",
  "capRate",
  "headcountBonus",
  "payouts",
  "settlementPeriod",
  "weekly",
  "semiMonthly",
  "monthly",
  "minWithdrawal",
  "withdrawalFee",
  "invalidRate",
  "invalidMoney",
  "invalidHoldDays",
  "invalidTiers",
  "fixFields",
  "checks",
  "check.max_tiers",
  "check.max_tiers.reason",
  "check.no_recruiting_rewards",
  "check.no_recruiting_rewards.reason",
  "check.rate_cap",
  "check.rate_cap.reason",
  "check.hold_covers_returns",
  "check.hold_covers_returns.reason",
  "check.non_negative",
  "check.non_negative.reason",
  "set.plan",
  "set.category",
  "set.product",
  "set.rank",
  "simulator",
  "simWaiting",
  "simRunning",
  "simCurrent",
  "simStale",
  "simStaleWaiting",
  "simError",
  "retry",
  "orders",
  "sales",
  "payoutDraft",
  "payoutActual",
  "payoutDelta",
  "share",
  "publish",
  "publishNeedsChecks",
  "publishNeedsSim",
  "noChanges",
  "readOnly",
  "confirmTitle",
  "confirmIntro",
  "confirmPayout",
  "confirm",
  "cancel",
  "published",
  "tierOff",
  "yes",
  "no",
  "days",
  "conflict",
  "reload",
] as const;

/** One label of the editor. */
export type PlanLabel = (typeof PLAN_LABELS)[number];

/** Props: the plan in force, whether this staff member may publish, and the labels. */
export interface PlanEditorProps {
  [key: string]: unknown;
  plan: CommissionPlan;
  canPublish: boolean;
  labels: Record<PlanLabel, string>;
  /** Rank names by rank id, for reasons about a rank's rates. */
  rankNames: Record<string, string>;
  /** The shop's return window: the hold may not be shorter. */
  returnWindowDays: number;
}

interface Simulation {
  orders: number;
  sales: string;
  payout: string;
  payoutShare: string;
  actualPayout: string;
}

/** The editor's inputs as typed: strings, so that a half-typed value stays as it is. */
interface Form {
  tiers: string[];
  base: CommissionPlan["base"];
  eligibility: CommissionPlan["eligibility"];
  spendThreshold: string;
  selfPurchase: boolean;
  holdDays: string;
  capRate: string;
  headcountBonus: string;
  settlementPeriod: CommissionPlan["settlementPeriod"];
  minWithdrawal: string;
  withdrawalFee: string;
}

/** One more tier input than the law allows, so the guard can be seen refusing a fourth tier. */
const TIER_INPUTS = 4;
/** How long after the last change the draft is simulated. */
const SIMULATE_AFTER_MS = 600;

function formOf(plan: CommissionPlan): Form {
  return {
    tiers: Array.from({ length: Math.max(TIER_INPUTS, plan.tiers.length) }, (_, i) => plan.tiers[i]?.rate ?? ""),
    base: plan.base,
    eligibility: plan.eligibility,
    spendThreshold: plan.spendThreshold,
    selfPurchase: plan.selfPurchase,
    holdDays: String(plan.holdDays),
    capRate: plan.capRate,
    headcountBonus: plan.headcountBonus,
    settlementPeriod: plan.settlementPeriod,
    minWithdrawal: plan.minWithdrawal,
    withdrawalFee: plan.withdrawalFee,
  };
}

/** The draft as the API takes it: the tiers up to the last one filled in, hold days as a number. */
function inputOf(form: Form, plan: CommissionPlan): Record<string, unknown> {
  const filled = form.tiers.map((r) => r.trim());
  let last = filled.length - 1;
  while (last >= 0 && filled[last] === "") last--;
  const hold = form.holdDays.trim();
  return {
    tiers: filled.slice(0, last + 1).map((rate) => ({ rate })),
    base: form.base,
    eligibility: form.eligibility,
    // The threshold only matters (and is only shown) for that eligibility; otherwise the plan keeps its own.
    ...(form.eligibility === "spend_threshold" ? { spendThreshold: form.spendThreshold.trim() } : {}),
    selfPurchase: form.selfPurchase,
    holdDays: /^\d{1,3}$/.test(hold) ? Number(hold) : hold,
    capRate: form.capRate.trim(),
    signUpFee: plan.signUpFee,
    headcountBonus: form.headcountBonus.trim(),
    settlementPeriod: form.settlementPeriod,
    minWithdrawal: form.minWithdrawal.trim(),
    withdrawalFee: form.withdrawalFee.trim(),
  };
}

/** Fills `{name}` placeholders. */
function fill(text: string, vars: Record<string, string | number>): string {
  return Object.entries(vars).reduce((t, [k, v]) => t.replaceAll(`{${k}}`, String(v)), text);
}

function same(a: string, b: string): boolean {
  try {
    return new Big(a).eq(new Big(b));
  } catch {
    return a === b;
  }
}

function percent(rate: string): string {
  return `${roundTo(new Big(rate).times(100), 2).toString()}%`;
}

function yuan(amount: string): string {
  return `¥${new Big(amount).toFixed(2)}`;
}

interface Change {
  label: string;
  before: string;
  after: string;
}

/** What publishing the draft changes compared with the plan in force, field by field. */
function changesBetween(before: CommissionPlan, after: CommissionPlan, l: Record<PlanLabel, string>): Change[] {
  const out: Change[] = [];
  const add = (label: string, b: string, a: string) => out.push({ label, before: b, after: a });
  for (let i = 0; i < Math.max(before.tiers.length, after.tiers.length); i++) {
    const b = before.tiers[i]?.rate;
    const a = after.tiers[i]?.rate;
    if (b === undefined || a === undefined || !same(a, b)) {
      add(
        fill(l.tier, { n: i + 1 }),
        b === undefined ? l.tierOff : percent(b),
        a === undefined ? l.tierOff : percent(a),
      );
    }
  }
  const baseName = { paid_amount: l.paidAmount, gross_profit: l.grossProfit };
  if (before.base !== after.base) add(l.base, baseName[before.base], baseName[after.base]);
  const who = { everyone: l.everyone, application: l.application, spend_threshold: l.spendThreshold };
  if (before.eligibility !== after.eligibility) add(l.eligibility, who[before.eligibility], who[after.eligibility]);
  if (
    after.eligibility === "spend_threshold" &&
    (before.eligibility !== "spend_threshold" || !same(before.spendThreshold, after.spendThreshold))
  ) {
    add(
      l.spendThresholdAmount,
      before.eligibility === "spend_threshold" ? yuan(before.spendThreshold) : "—",
      yuan(after.spendThreshold),
    );
  }
  if (before.selfPurchase !== after.selfPurchase) {
    add(l.selfPurchase, before.selfPurchase ? l.yes : l.no, after.selfPurchase ? l.yes : l.no);
  }
  if (before.holdDays !== after.holdDays) {
    add(l.holdDays, fill(l.days, { n: before.holdDays }), fill(l.days, { n: after.holdDays }));
  }
  if (!same(before.capRate, after.capRate)) add(l.capRate, percent(before.capRate), percent(after.capRate));
  if (!same(before.headcountBonus, after.headcountBonus)) {
    add(l.headcountBonus, yuan(before.headcountBonus), yuan(after.headcountBonus));
  }
  const period = { weekly: l.weekly, semi_monthly: l.semiMonthly, monthly: l.monthly };
  if (before.settlementPeriod !== after.settlementPeriod) {
    add(l.settlementPeriod, period[before.settlementPeriod], period[after.settlementPeriod]);
  }
  if (!same(before.minWithdrawal, after.minWithdrawal)) {
    add(l.minWithdrawal, yuan(before.minWithdrawal), yuan(after.minWithdrawal));
  }
  if (!same(before.withdrawalFee, after.withdrawalFee)) {
    add(l.withdrawalFee, yuan(before.withdrawalFee), yuan(after.withdrawalFee));
  }
  return out;
}

/** The input ids with a problem, each with its message, from the schema's issues. */
function fieldErrors(
  issues: { path: PropertyKey[] }[],
  l: Record<PlanLabel, string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [head, index] = issue.path;
    let id = String(head);
    let text = l.invalidMoney;
    if (head === "tiers") {
      id = typeof index === "number" ? `tier-${index}` : "tier-0";
      text = typeof index === "number" ? l.invalidRate : l.invalidTiers;
    } else if (head === "capRate") text = l.invalidRate;
    else if (head === "holdDays") text = l.invalidHoldDays;
    errors[id] ??= text;
  }
  return errors;
}

function Field(
  { id, label, error, hint, wide, children }: {
    id: string;
    label: string;
    error?: string;
    hint?: string;
    wide?: boolean;
    children: ComponentChildren;
  },
) {
  return (
    <div class={`field${error ? " has-error" : ""}${wide ? " field-wide" : ""}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && <p class="field-hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

/**
 * The commission plan editor. The compliance guard's checks update as the manager types (the same
 * pure function and schema the server enforces); a compliant draft is simulated over the last 30
 * days by itself shortly after the last change, and a result of an earlier draft is marked out of
 * date. Publishing needs the current draft's result on screen and a confirmation of what changes,
 * and it names the version it was based on, so a plan changed meanwhile is not overwritten.
 */
export default function PlanEditor({ plan, canPublish, labels: l, rankNames, returnWindowDays }: PlanEditorProps) {
  const published = useSignal<CommissionPlan>(plan);
  const form = useSignal<Form>(formOf(plan));
  const simulation = useSignal<{ key: string; result: Simulation } | null>(null);
  const simStatus = useSignal<"idle" | "pending" | "error">("idle");
  const simError = useSignal("");
  const retries = useSignal(0);
  const confirming = useSignal<string | null>(null);
  const publishing = useSignal(false);
  const message = useSignal<{ kind: "ok" | "error"; text: string; reload?: boolean } | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);

  const base = published.value;
  const f = form.value;
  const parsed = planDraftSchema.safeParse(inputOf(f, base));
  const errors = parsed.success ? {} : fieldErrors(parsed.error.issues, l);
  const draft = parsed.success ? { ...base, ...parsed.data, version: base.version + 1 } as CommissionPlan : null;
  const checks = draft ? checkCompliance(draft, { returnWindowDays }) : null;
  const compliant = checks !== null && checks.every((c) => c.passed);
  /** The draft's identity: what is simulated and published; null while it is invalid or breaks a rule. */
  const key = compliant && parsed.success ? JSON.stringify(parsed.data) : null;
  const sim = simulation.value;
  const current = sim !== null && key !== null && sim.key === key;
  const changes = draft ? changesBetween(base, draft, l) : [];
  const ready = current && changes.length > 0 && !publishing.value;

  useEffect(() => {
    if (key === null || simulation.peek()?.key === key) {
      simStatus.value = "idle";
      return;
    }
    simStatus.value = "pending";
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      const to = new Date();
      const from = new Date(to.getTime() - 30 * 86_400_000);
      try {
        const res = await fetch("/api/admin/commission-plan/simulate", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ from: from.toISOString(), to: to.toISOString(), plan: JSON.parse(key) }),
          signal: controller.signal,
        });
        const json = await res.json();
        if (!res.ok) throw new Error(json?.error?.message ?? res.statusText);
        // A newer draft cancels this request; a response that still arrives late is ignored.
        if (controller.signal.aborted) return;
        simulation.value = { key, result: json.simulation };
        simStatus.value = "idle";
      } catch (err) {
        if (controller.signal.aborted) return;
        simError.value = String((err as Error).message);
        simStatus.value = "error";
      }
    }, SIMULATE_AFTER_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, retries.value]);

  const confirmOpen = confirming.value !== null && confirming.value === key && current && changes.length > 0;
  useEffect(() => {
    if (confirmOpen) confirmHeading.current?.focus();
  }, [confirmOpen]);

  const set = (patch: Partial<Form>) => {
    message.value = null;
    form.value = { ...form.peek(), ...patch };
  };
  const setRate = (i: number, rate: string) => {
    const tiers = [...form.peek().tiers];
    tiers[i] = rate;
    set({ tiers });
  };

  const publish = async () => {
    if (!key || !ready) return;
    publishing.value = true;
    message.value = null;
    try {
      const res = await fetch("/api/admin/commission-plan", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...JSON.parse(key), baseVersion: base.version }),
      });
      const json = await res.json();
      if (res.status === 409) {
        const latest = await fetch("/api/admin/commission-plan").then((r) => r.json()).catch(() => null);
        message.value = {
          kind: "error",
          text: fill(l.conflict, { version: latest?.plan?.version ?? "?" }),
          reload: true,
        };
        return;
      }
      if (!res.ok) throw new Error(json?.error?.message ?? res.statusText);
      const next = { ...base, ...json.plan } as CommissionPlan;
      published.value = next;
      form.value = formOf(next);
      message.value = { kind: "ok", text: fill(l.published, { version: next.version }) };
    } catch (err) {
      message.value = { kind: "error", text: String((err as Error).message) };
    } finally {
      publishing.value = false;
      confirming.value = null;
    }
  };

  const checkText = (c: ComplianceCheck) => {
    const set = c.set
      ? fill(l[`set.${c.set.kind}`], { ref: c.set.ref ?? "", rank: rankNames[c.set.ref ?? ""] ?? c.set.ref ?? "" })
      : "";
    return {
      description: fill(l[`check.${c.id}`], c.params),
      reason: c.passed ? "" : fill(l[`check.${c.id}.reason`], { ...c.params, set }),
    };
  };

  const described = (id: string, hint = false) => ({
    id,
    "aria-invalid": errors[id] ? true : undefined,
    "aria-describedby": [hint && `${id}-hint`, errors[id] && `${id}-error`].filter(Boolean).join(" ") || undefined,
  });

  const simState = current
    ? "current"
    : simStatus.value === "error" && key !== null
    ? "error"
    : sim && key === null
    ? "stale-waiting"
    : sim
    ? "stale"
    : key !== null
    ? "running"
    : "waiting";
  const publishHint = !compliant
    ? l.publishNeedsChecks
    : !current
    ? l.publishNeedsSim
    : changes.length === 0
    ? l.noChanges
    : null;

  return (
    <div class="plan-editor">
      <form class="card plan-form" onSubmit={(e) => e.preventDefault()} noValidate>
        <div class="plan-head">
          <h2>{fill(l.draft, { version: base.version })}</h2>
          <span class="badge badge-muted" data-testid="version">{fill(l.version, { version: base.version })}</span>
        </div>
        <fieldset class="plan-tiers">
          <legend>{l.tiers}</legend>
          {f.tiers.map((rate, i) => (
            <Field key={i} id={`tier-${i}`} label={fill(l.tier, { n: i + 1 })} error={errors[`tier-${i}`]}>
              <input
                {...described(`tier-${i}`)}
                inputMode="decimal"
                autoComplete="off"
                value={rate}
                placeholder={l.tierOff}
                onInput={(e) =>
                  setRate(i, e.currentTarget.value)}
              />
            </Field>
          ))}
        </fieldset>
        <fieldset class="plan-group">
          <legend>{l.rules}</legend>
          <Field id="plan-base" label={l.base}>
            <select
              id="plan-base"
              value={f.base}
              onChange={(e) => set({ base: e.currentTarget.value as Form["base"] })}
            >
              <option value="paid_amount">{l.paidAmount}</option>
              <option value="gross_profit">{l.grossProfit}</option>
            </select>
          </Field>
          <Field id="plan-eligibility" label={l.eligibility}>
            <select
              id="plan-eligibility"
              value={f.eligibility}
              onChange={(e) => set({ eligibility: e.currentTarget.value as Form["eligibility"] })}
            >
              <option value="everyone">{l.everyone}</option>
              <option value="application">{l.application}</option>
              <option value="spend_threshold">{l.spendThreshold}</option>
            </select>
          </Field>
          {f.eligibility === "spend_threshold" && (
            <Field
              id="spendThreshold"
              label={l.spendThresholdAmount}
              hint={l.spendThresholdHint}
              error={errors.spendThreshold}
              wide
            >
              <input
                {...described("spendThreshold", true)}
                inputMode="decimal"
                autoComplete="off"
                value={f.spendThreshold}
                onInput={(e) => set({ spendThreshold: e.currentTarget.value })}
              />
            </Field>
          )}
          <Field id="holdDays" label={l.holdDays} error={errors.holdDays}>
            <input
              {...described("holdDays")}
              type="number"
              inputMode="numeric"
              min="0"
              max="90"
              value={f.holdDays}
              onInput={(e) => set({ holdDays: e.currentTarget.value })}
            />
          </Field>
          <Field id="capRate" label={l.capRate} error={errors.capRate}>
            <input
              {...described("capRate")}
              inputMode="decimal"
              autoComplete="off"
              value={f.capRate}
              onInput={(e) => set({ capRate: e.currentTarget.value })}
            />
          </Field>
          <Field id="headcountBonus" label={l.headcountBonus} error={errors.headcountBonus}>
            <input
              {...described("headcountBonus")}
              inputMode="decimal"
              autoComplete="off"
              value={f.headcountBonus}
              onInput={(e) => set({ headcountBonus: e.currentTarget.value })}
            />
          </Field>
          <label class="check field-wide">
            <input
              type="checkbox"
              checked={f.selfPurchase}
              onChange={(e) => set({ selfPurchase: e.currentTarget.checked })}
            />
            {l.selfPurchase}
          </label>
        </fieldset>
        <fieldset class="plan-group">
          <legend>{l.payouts}</legend>
          <Field id="settlementPeriod" label={l.settlementPeriod} wide>
            <select
              id="settlementPeriod"
              value={f.settlementPeriod}
              onChange={(e) => set({ settlementPeriod: e.currentTarget.value as Form["settlementPeriod"] })}
            >
              <option value="weekly">{l.weekly}</option>
              <option value="semi_monthly">{l.semiMonthly}</option>
              <option value="monthly">{l.monthly}</option>
            </select>
          </Field>
          <Field id="minWithdrawal" label={l.minWithdrawal} error={errors.minWithdrawal}>
            <input
              {...described("minWithdrawal")}
              inputMode="decimal"
              autoComplete="off"
              value={f.minWithdrawal}
              onInput={(e) => set({ minWithdrawal: e.currentTarget.value })}
            />
          </Field>
          <Field id="withdrawalFee" label={l.withdrawalFee} error={errors.withdrawalFee}>
            <input
              {...described("withdrawalFee")}
              inputMode="decimal"
              autoComplete="off"
              value={f.withdrawalFee}
              onInput={(e) => set({ withdrawalFee: e.currentTarget.value })}
            />
          </Field>
        </fieldset>
      </form>
      <div class="plan-side">
        <section class="card plan-panel" aria-labelledby="plan-checks-title">
          <h2 id="plan-checks-title">{l.checks}</h2>
          {checks
            ? (
              <ul class="checks" data-testid="checks" aria-live="polite">
                {checks.map((c) => {
                  const text = checkText(c);
                  return (
                    <li key={c.id} class={c.passed ? "check-pass" : "check-fail"} data-check={c.id}>
                      <span class="check-icon" aria-hidden="true">{c.passed ? "✓" : "✗"}</span>
                      <div>
                        <p>{text.description}</p>
                        {!c.passed && <p class="field-error">{text.reason}</p>}
                      </div>
                    </li>
                  );
                })}
              </ul>
            )
            : <p class="field-error" data-testid="checks-blocked" role="alert">{l.fixFields}</p>}
        </section>
        <section
          class={`card plan-panel plan-sim${current ? "" : " is-stale"}`}
          aria-labelledby="plan-sim-title"
          data-state={simState}
        >
          <div class="plan-head">
            <h2 id="plan-sim-title">{l.simulator}</h2>
          </div>
          <p class={`plan-sim-status is-${simState}`} data-testid="sim-status" role="status">
            {simState === "current"
              ? l.simCurrent
              : simState === "error"
              ? fill(l.simError, { message: simError.value })
              : simState === "stale"
              ? `${l.simStale} · ${l.simRunning}`
              : simState === "stale-waiting"
              ? `${l.simStale} · ${l.simStaleWaiting}`
              : simState === "running"
              ? l.simRunning
              : l.simWaiting}
          </p>
          {simState === "error" && (
            <button class="btn btn-ghost btn-sm" type="button" onClick={() => retries.value++}>{l.retry}</button>
          )}
          {sim && (
            <dl class="breakdown" data-testid="simulation" data-current={String(current)}>
              <dt>{l.orders}</dt>
              <dd>{sim.result.orders}</dd>
              <dt>{l.sales}</dt>
              <dd>¥{sim.result.sales}</dd>
              <dt>{l.payoutDraft}</dt>
              <dd data-testid="sim-payout">¥{sim.result.payout}</dd>
              <dt>{l.payoutActual}</dt>
              <dd>¥{sim.result.actualPayout}</dd>
              <dt>{l.payoutDelta}</dt>
              <dd>{signedYuan(sim.result.payout, sim.result.actualPayout)}</dd>
              <dt>{l.share}</dt>
              <dd>{percent(sim.result.payoutShare)}</dd>
            </dl>
          )}
          {canPublish
            ? confirmOpen && sim
              ? (
                <div class="plan-confirm" data-testid="confirm" role="group" aria-labelledby="plan-confirm-title">
                  <h3 id="plan-confirm-title" tabIndex={-1} ref={confirmHeading}>
                    {fill(l.confirmTitle, { version: base.version + 1 })}
                  </h3>
                  <p>{fill(l.confirmIntro, { version: base.version })}</p>
                  <ul class="plan-diff" data-testid="diff">
                    {changes.map((c) => (
                      <li key={c.label}>
                        <span class="plan-diff-label">{c.label}</span>
                        <span class="plan-diff-values">
                          {c.before === "—" ? <span>—</span> : <del>{c.before}</del>}
                          <span aria-hidden="true">→</span>
                          <ins>{c.after}</ins>
                        </span>
                      </li>
                    ))}
                  </ul>
                  <p class="muted">
                    {fill(l.confirmPayout, {
                      draft: sim.result.payout,
                      actual: sim.result.actualPayout,
                      share: percent(sim.result.payoutShare),
                    })}
                  </p>
                  <div class="actions">
                    <button class="btn btn-ghost" type="button" onClick={() => (confirming.value = null)}>
                      {l.cancel}
                    </button>
                    <button
                      class="btn btn-primary"
                      type="button"
                      data-testid="confirm-publish"
                      onClick={publish}
                      disabled={publishing.value}
                    >
                      {l.confirm}
                    </button>
                  </div>
                </div>
              )
              : (
                <div class="plan-publish">
                  <button
                    class="btn btn-primary"
                    type="button"
                    data-testid="publish"
                    onClick={() => (confirming.value = key)}
                    disabled={!ready}
                    aria-describedby={publishHint ? "plan-publish-hint" : undefined}
                  >
                    {l.publish}
                  </button>
                  {publishHint && <p class="field-hint" id="plan-publish-hint">{publishHint}</p>}
                </div>
              )
            : <p class="muted" data-testid="read-only">{l.readOnly}</p>}
          {message.value && (
            <div
              class={`alert ${message.value.kind === "ok" ? "alert-ok" : "alert-error"}`}
              role={message.value.kind === "ok" ? "status" : "alert"}
              data-testid="plan-message"
            >
              {message.value.text}
              {message.value.reload && (
                <>
                  {" "}
                  <a href="/admin/plan">{l.reload}</a>
                </>
              )}
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

function signedYuan(draft: string, actual: string): string {
  const d = new Big(draft).minus(new Big(actual));
  return `${d.gt(0) ? "+" : d.lt(0) ? "−" : ""}¥${d.abs().toFixed(2)}`;
}
