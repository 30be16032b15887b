import Big from "big.js";

/**
 * The one rounding module. Money is `Big` inside `domain/`, a decimal string with two places
 * everywhere else. Amounts round half-up to the cent (`Big.roundHalfUp`), the mode Chinese
 * retail and tax practice use.
 */
export const ROUNDING_MODE = Big.roundHalfUp;

/** A money value inside the domain. */
export type Money = Big;

/** Parses a decimal string (or Big) into money; throws on anything that is not a finite decimal. */
export function money(value: string | number | Big): Big {
  if (typeof value === "string" && !/^-?\d+(\.\d+)?$/.test(value.trim())) {
    throw new Error(`Cannot parse amount: ${value === "" ? "value is empty" : `"${value}" is not a decimal`}`);
  }
  return new Big(value);
}

/** A rounding mode by name: `Big.roundDown` (toward zero), `Big.roundHalfUp`, `Big.roundHalfEven`, `Big.roundUp`. */
export type RoundingMode = Big.RoundingMode;

/** Rounds to `places` decimals with the house mode (half-up) unless another mode is named. */
export function roundTo(value: Big, places: number, mode: RoundingMode = ROUNDING_MODE): Big {
  return value.round(places, mode);
}

/**
 * Rounds toward zero to `places` decimals (whole units by default): for what may never exceed its exact
 * value, such as whole points earned or returned, a commission cap, whole days of stock left.
 */
export function roundDown(value: Big, places = 0): Big {
  return value.round(places, Big.roundDown);
}

/**
 * Rounds away from zero to `places` decimals (whole units by default): for what must cover its exact value,
 * such as whole units to reorder so that a forecast demand is met.
 */
export function roundUp(value: Big, places = 0): Big {
  return value.round(places, Big.roundUp);
}

/** Whether a value has no digits beyond `places` decimals (a whole number of cents for 2). */
export function hasAtMostPlaces(value: Big, places: number): boolean {
  return roundDown(value, places).eq(value);
}

/** Rounds to cents with the house rounding mode. */
export function roundCents(value: Big): Big {
  return value.round(2, ROUNDING_MODE);
}

/** Formats money as the API's decimal string with exactly two places ("129.00"). */
export function toMoneyString(value: Big): string {
  return roundCents(value).toFixed(2, ROUNDING_MODE);
}

/** A non-money decimal (a rate, a percentage, a count per day) as text with fixed places, rounded half-up. */
export function decimalText(value: Big, places: number): string {
  return value.round(places, ROUNDING_MODE).toFixed(places, ROUNDING_MODE);
}

/** Sums money values exactly. */
export function sum(values: Big[]): Big {
  return values.reduce((acc, v) => acc.plus(v), new Big(0));
}
